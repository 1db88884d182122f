"""The privacy guard by itself: a corpus of what must be refused, and of ordinary notes,
addresses and names that must pass."""

import pytest
from django.core.exceptions import ValidationError

from core.privacy import privacy_check, privacy_check_fields

ID, OTP, PASSWORD = "id_number", "otp", "password"

REFUSED = [
    # Citizen ID (CCCD), 12 digits, however it is written
    ("001093001234", ID),
    ("CCCD 001093001234 của chủ hộ", ID),
    ("số 0010 9300 1234", ID),
    ("số 001.093.001.234", ID),
    ("001-093-001-234", ID),
    ("001/093/001/234", ID),
    ("001,093,001,234", ID),
    ("001 093 001 234", ID),
    ("0 0 1 0 9 3 0 0 1 2 3 4", ID),
    ("00 10 93 00 12 34", ID),
    ("0O1093001234", ID),
    ("OO1O93OO1234", ID),
    ("001 O93 001 234", ID),
    ("００１０９３００１２３４", ID),
    ("CCCD: ００１ ０９３ ００１ ２３４", ID),
    ("CCCD 001093001234 0912345678", ID),
    ("0010 9300 1234 0912 345 678", ID),
    ("Căn cước công dân số 036 185 012 345", ID),
    ("căn cước: 036185012345, đã hướng dẫn cài VNeID", ID),
    ("Số định danh cá nhân 079 2040 12345", ID),
    ("CCCD 00 1093 001234", ID),
    ("Ông Hùng, CCCD 031-0850-12345", ID),
    ("cccd:001093001234", ID),
    ("0010\u200b9300\u200b1234", ID),
    ("001 . 093 . 001 . 234", ID),
    ("Chị Mai 0912345678, 001093001234", ID),
    # Old CMND, 9 digits, announced
    ("CMND 012345678", ID),
    ("CMND: 012 345 678", ID),
    ("cmt 012.345.678", ID),
    ("chứng minh nhân dân số 0123 45678", ID),
    ("Số CMND của bà là 012-345-678", ID),
    ("Chứng minh thư: O12345678", ID),
    # One-time codes
    ("mã OTP 482913 đã gửi", OTP),
    ("Mã xác thực: 123456", OTP),
    ("OTP123456", OTP),
    ("otp 123456 0912345678", OTP),
    ("mã 123 456", OTP),
    ("OTP gửi về máy bà là 482913", OTP),
    ("OTP vừa nhận là 4829", OTP),
    ("mã OTP: 4 8 2 9 1 3", OTP),
    ("Mã xác nhận 48-29-13", OTP),
    ("mã xác minh VNeID 482 913", OTP),
    ("Mã kích hoạt: 88221144", OTP),
    ("OTP: ４８２９１３", OTP),
    ("otp=482913", OTP),
    ("OTP-482913", OTP),
    ("mã 482913 để đăng nhập", OTP),
    ("Mã PIN 1234", OTP),
    ("code 556677", OTP),
    # Passwords
    ("mật khẩu: abc12345", PASSWORD),
    ("mật khẩu VNeID của bà là Abc@1234", PASSWORD),
    ("mật khẩu VNeID/Abc@2024", PASSWORD),
    ("mk 123456", PASSWORD),
    ("mk: hoa1990", PASSWORD),
    ("pass: Lan@123", PASSWORD),
    ("pw: qwerty99", PASSWORD),
    ("pwd=Hung#2020", PASSWORD),
    ("passwd 12345678", PASSWORD),
    ("password: Matkhau@1", PASSWORD),
    ("Mật khẩu là 19581010", PASSWORD),
    ("mat khau: hoalan", PASSWORD),
    ("MK VNeID: Bac@1958", PASSWORD),
    ("mật khẩu mới Thu.2024!", PASSWORD),
    ("pass wifi 88888888", PASSWORD),
    ("Đổi mk thành abc123 rồi", PASSWORD),
]

PASSING = [
    "Bà Lan 0912 345 678 nhờ gọi lại",
    "Gọi chị Lan 0912 345 678 trước khi đến",
    "0912345678 12 người trong hộ",
    "Ngõ 12/34 Định Công",
    "Số 12 ngõ 34/5",
    "Hộ có 3 người, đã cài VNeID",
    "Hộ 5 người, 2 cháu nhỏ, hẹn 19:30 thứ 7",
    "Ngõ 123 ngách 45 số 6, tầng 12",
    "Năm sinh 1958, 2023 đã cài VNeID",
    "Mã hộ 12",
    "Nguyễn Thị Lan",
    "Trần Văn Hùng",
    "Lê Thị Ngọc Ánh",
    "Phạm Minh Đức",
    "Tổ thanh niên tình nguyện số 3",
    "Đội hình ra quân phường Định Công",
    "Số 5, ngõ 12, ngách 34/56",
    "P.1205 tòa CT3 Bắc Linh Đàm",
    "Căn hộ 12A05, chung cư HH2",
    "Phòng trọ số 7, dãy B",
    "Kiệt 42/15 Nguyễn Văn Linh",
    "Hẻm 123/45/6 Lê Văn Sỹ",
    "Đường Giải Phóng",
    "Số nhà 120B",
    "+84 912 345 678",
    "+84912345678 chị Hoa",
    "SĐT 0987.654.321 (con trai)",
    "Gọi 0912-345-678 hoặc 024 3856 1234",
    "0912345678 / 0987654321",
    "0912 345 678 - 0987 654 321",
    "Hẹn lại ngày 12/03/2024",
    "Đã cài VNeID ngày 01/01/2026 - 31/12/2026 kiểm tra lại",
    "Tháng 3/2026 quay lại",
    "2024-03-12 đã hướng dẫn",
    "Đóng 150.000 đồng quỹ khuyến học",
    "Hỗ trợ 1.500.000đ",
    "Quỹ 150.000.000.000 đồng",
    "Năm 2023, 2024, 2025 đều tham gia",
    "Đã hướng dẫn bà đổi mật khẩu VNeID",
    "Quên mật khẩu, hẹn hôm sau quay lại",
    "Quên mật khẩu, gọi 0912345678",
    "Quên mật khẩu, hẹn 19h30",
    "Mật khẩu VNeID gồm 8 ký tự",
    "Hướng dẫn đặt mật khẩu mạnh cho 3 người",
    "Bà quên mật khẩu VNeID lần 2",
    "Mật khẩu: đã đổi xong",
    "OTP không nhận được, gọi 0912 345 678",
    "OTP hết hạn sau 5 phút",
    "Mã OTP gửi lúc 10:30, bà tự nhập",
    "Hướng dẫn nhận mã xác thực trên điện thoại",
    "Mã OTP gửi ngày 12/3/2026",
    "Đã có CCCD gắn chip",
    "CCCD đã làm, gọi 0912345678",
    "Chưa làm CCCD, hẹn 2 tuần",
    "Có 2 CCCD trong hộ",
    "Hộ gồm 4 nhân khẩu, 1 người cao tuổi",
    "Đã tích hợp thẻ BHYT vào VNeID",
    "Ông Tư 80 tuổi, cần con cháu hỗ trợ",
    "Đến 3 lần không gặp, để lại giấy hẹn",
    "Tiền điện tháng 11: 450.000đ",
    "Lớp kỹ năng số cho người cao tuổi tổ 5",
    "Nhà văn hóa tổ dân phố số 7, ngõ 68",
    "Buổi 2: hướng dẫn thanh toán không dùng tiền mặt",
    "Tài liệu hướng dẫn cài đặt VNeID mức 2",
    "Bài đăng: 10 bước cài VNeID",
    "Pass lại 2 cái quạt cho hộ nghèo",
    "Điểm danh 25 người, 12 người trên 60 tuổi",
    "Tổ 12 ngõ 4 ngách 5 hẻm 6",
    "Mã bưu chính không rõ",
    "Bà Năm, SĐT 0912345678, 12 người",
    "12 0912345678",
    "Địa chỉ: số 20, ngõ 1194/95 đường Láng",
    "Ghi chú: hộ khó khăn, 2 người khuyết tật",
]


def test_the_corpus_is_large_enough():
    assert len(REFUSED) >= 60
    assert len(PASSING) >= 60


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_identifiers_codes_and_passwords_are_refused(text, code):
    with pytest.raises(ValidationError) as error:
        privacy_check(text)
    assert error.value.code == code
    assert "Không" in " ".join(error.value.messages)  # says why it cannot be kept


@pytest.mark.parametrize("text", PASSING)
def test_ordinary_notes_addresses_and_names_pass(text):
    privacy_check(text)


def test_the_message_says_what_was_found_and_why():
    with pytest.raises(ValidationError) as error:
        privacy_check("CCCD 001093001234")
    message = error.value.messages[0]
    assert "12 chữ số" in message
    assert "Luật Bảo vệ dữ liệu cá nhân" in message


def test_an_old_id_number_is_named_with_its_nine_digits():
    with pytest.raises(ValidationError) as error:
        privacy_check("CMND 012 345 678")
    assert "9 chữ số" in error.value.messages[0]


def test_fields_are_checked_by_name():
    with pytest.raises(ValidationError) as error:
        privacy_check_fields({"title": "Lớp 1", "address": "CMND 012345678"}, ["title", "address"])
    assert set(error.value.message_dict) == {"address"}


def test_values_that_are_not_text_pass():
    privacy_check(None)
    privacy_check(123456789012)
