"""The notes guard, by itself: what it must refuse, and ordinary notes it must let through."""

import pytest
from django.core.exceptions import ValidationError

from core.privacy import privacy_check as sensitive_text_check


@pytest.mark.parametrize(
    ("notes", "code"),
    [
        ("CCCD 001093001234 của chủ hộ", "id_number"),
        ("số 0010 9300 1234", "id_number"),
        ("số 001.093.001.234", "id_number"),
        ("CCCD 001093001234 0912345678", "id_number"),  # an ID beside a phone number
        ("0010 9300 1234 0912 345 678", "id_number"),
        ("mã OTP 482913 đã gửi", "otp"),
        ("Mã xác thực: 123456", "otp"),
        ("OTP123456", "otp"),
        ("otp 123456 0912345678", "otp"),
        ("mã 123 456", "otp"),
        ("mật khẩu: abc12345", "password"),
    ],
)
def test_identifiers_codes_and_passwords_are_refused(notes, code):
    with pytest.raises(ValidationError) as error:
        sensitive_text_check(notes)
    assert error.value.code == code


@pytest.mark.parametrize(
    "notes",
    [
        "Gọi chị Lan 0912 345 678 trước khi đến",
        "0912345678 12 người trong hộ",
        "Hộ 5 người, 2 cháu nhỏ, hẹn 19:30 thứ 7",
        "Ngõ 123 ngách 45 số 6, tầng 12",
        "Năm sinh 1958, 2023 đã cài VNeID",
        "Mã hộ 12",
    ],
)
def test_ordinary_notes_pass(notes):
    sensitive_text_check(notes)
