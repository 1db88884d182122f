"""The columns of every list the workspace imports and exports, declared once per kind.

Each import reads the columns declared here, its template writes them, and each export heads
its rows with them: a list exported from one ward can be filled in and imported into another,
and an export's header can never drift from what the import reads (the visit export used the
model's field names, so "hướng dẫn kích hoạt mức 2" came back in as an unknown column).
"""

from django.utils.translation import gettext_lazy as _

from core.spreadsheets.resources import SheetField as F
from core.spreadsheets.resources import SheetResource

# The visit's counts: label and the other spellings an import accepts, in the model's order.
VISIT_COUNTS = {
    "install_guidance": (_("Hướng dẫn cài VNeID"), ("cài vneid", "cài đặt vneid")),
    "level1_activations": (_("Kích hoạt mức 1"), ("mức 1",)),
    "level2_coaching": (
        _("Hướng dẫn mức 2"),
        ("mức 2", "kích hoạt mức 2", "hướng dẫn kích hoạt mức 2"),
    ),
    "dossiers_eid": (_("Hồ sơ định danh"), ("hồ sơ cấp định danh", "hồ sơ cấp, định danh điện tử")),
    "dossiers_online": (_("Hồ sơ trực tuyến"), ("dịch vụ công trực tuyến",)),
    "dossiers_other": (_("Hồ sơ khác"), ()),
    "e_payment": (_("Thanh toán điện tử"), ()),
    "online_shopping": (_("Mua bán trực tuyến"), ()),
    "email": (_("Thư điện tử"), ("email",)),
    "info_safety": (_("An toàn thông tin"), ()),
}


def _count(name: str) -> F:
    label, aliases = VISIT_COUNTS[name]
    return F(name, label, aliases=aliases, example="1" if name == "install_guidance" else "0")


class HouseholdSheet(SheetResource):
    pk = F("pk", _("Mã hộ"), aliases=("id hộ",), imported=False)
    contact_name = F(
        "contact_name",
        _("Họ tên chủ hộ"),
        aliases=(
            "chủ hộ",
            "họ và tên chủ hộ",
            "tên chủ hộ",
            "người liên hệ",
            "họ tên",
            "họ và tên",
        ),
        example="Nguyễn Văn An",
    )
    house_number = F("house_number", _("Số nhà"), aliases=("số", "sn"), example="12")
    alley = F(
        "alley",
        _("Ngõ/ngách"),
        aliases=("ngõ", "ngách", "ngõ ngách", "ngõ, ngách", "hẻm", "kiệt"),
        example="Ngõ 34",
    )
    street = F(
        "street",
        _("Đường/phố"),
        aliases=("đường", "phố", "đường phố", "tên đường", "phố/đường"),
        example="Phố Định Công",
    )
    apartment = F("apartment", _("Căn hộ/phòng trọ"), imported=False)
    address = F(
        "address",
        _("Địa chỉ"),
        aliases=("địa chỉ đầy đủ", "địa chỉ thường trú", "nơi ở", "địa chỉ hộ"),
    )
    group = F(
        "group",
        _("Tổ dân phố"),
        aliases=("tổ", "tdp", "tổ dân phố/thôn", "thôn", "tổ dp", "tổ/thôn", "thôn/tổ dân phố"),
        required=True,
        example="Tổ dân phố 1",
    )
    contact_phone = F(
        "contact_phone",
        _("Số điện thoại"),
        aliases=("sđt", "sdt", "điện thoại", "số đt", "di động", "số điện thoại liên hệ"),
        example="0912 345 678",
    )
    members = F(
        "members",
        _("Số nhân khẩu"),
        aliases=("nhân khẩu", "số người", "số khẩu", "số thành viên"),
        example="4",
    )
    consent = F(
        "consent",
        _("Đồng ý lưu liên hệ"),
        aliases=("đồng ý", "đồng ý liên hệ", "đồng ý lưu thông tin"),
        example="Có",
    )
    notes = F("notes", _("Ghi chú"))
    digital_status = F("digital_status", _("Tình trạng số"), imported=False)
    last_visit_at = F("last_visit_at", _("Lần thăm gần nhất"), imported=False)

    export_keys = (
        "pk",
        "group",
        "house_number",
        "alley",
        "street",
        "apartment",
        "contact_name",
        "contact_phone",
        "members",
        "digital_status",
        "last_visit_at",
    )


class VisitSheet(SheetResource):
    pk = F("pk", _("Mã lượt"), imported=False)
    day = F(
        "day",
        _("Ngày"),
        aliases=("ngày thăm", "ngày đi", "ngày hỗ trợ"),
        required=True,
        example="05/03/2023",
    )
    time = F("time", _("Giờ"), aliases=("giờ thăm", "thời gian"), example="09:30")
    volunteer = F(
        "volunteer",
        _("Tình nguyện viên"),
        aliases=("người thăm", "tnv", "sđt tình nguyện viên", "người đi", "người hỗ trợ"),
        required=True,
        example="0900000006",
    )
    household_id = F("household_id", _("Mã hộ"), aliases=("id hộ",))
    group = F("group", _("Tổ dân phố"), aliases=("tổ", "tdp", "thôn"), example="Tổ dân phố 1")
    address = F(
        "address",
        _("Địa chỉ hộ"),
        aliases=("địa chỉ", "số nhà"),
        example="12, Ngõ 34, Phố Định Công",
    )
    result = F("result", _("Kết quả"), example="Đã hỗ trợ")
    status = F("status", _("Trạng thái"), imported=False)
    install_guidance = _count("install_guidance")
    level1_activations = _count("level1_activations")
    level2_coaching = _count("level2_coaching")
    dossiers_eid = _count("dossiers_eid")
    dossiers_online = _count("dossiers_online")
    dossiers_other = _count("dossiers_other")
    e_payment = _count("e_payment")
    online_shopping = _count("online_shopping")
    email = _count("email")
    info_safety = _count("info_safety")

    export_keys = (
        "pk",
        "day",
        "time",
        "volunteer",
        "household_id",
        "group",
        "address",
        "result",
        "status",
        *VISIT_COUNTS,
    )


class VolunteerSheet(SheetResource):
    full_name = F(
        "full_name",
        _("Họ và tên"),
        aliases=("họ tên", "tên", "tên tình nguyện viên"),
        required=True,
        example="Nguyễn Văn An",
    )
    phone = F(
        "phone",
        _("Số điện thoại"),
        aliases=("sđt", "sdt", "điện thoại", "di động", "số đt"),
        required=True,
        example="0912 345 678",
    )
    email = F("email", _("Email"), aliases=("thư điện tử", "e-mail"))
    team = F("team", _("Tổ CNS"), aliases=("tổ", "tên tổ", "tổ công nghệ số"))
    area = F("area", _("Địa bàn"), imported=False)
    role = F("role", _("Vai trò"), aliases=("chức vụ",), example="Tình nguyện viên")
    status = F("status", _("Trạng thái"), imported=False)

    export_keys = ("full_name", "phone", "email", "team", "area", "status")


class GroupSheet(SheetResource):
    name = F(
        "name",
        _("Tên tổ dân phố/thôn"),
        aliases=("tổ dân phố", "tên tổ", "tên tổ dân phố", "thôn", "tên thôn", "tdp"),
        required=True,
        example="Tổ dân phố 7",
    )
    kind = F("kind", _("Loại"), aliases=("loại đơn vị",), example="Tổ dân phố")


class TeamSheet(SheetResource):
    name = F("name", _("Tên tổ"), imported=False)
    residential_group = F("residential_group", _("Tổ dân phố phụ trách"), imported=False)
    members = F("members", _("Số thành viên"), imported=False)
    assignments = F("assignments", _("Số địa bàn được giao"), imported=False)
    status = F("status", _("Trạng thái"), imported=False)

    export_keys = ("name", "residential_group", "members", "assignments", "status")


class TallySheet(SheetResource):
    """A paper tally: one row per unit and day (one file may hold many units)."""

    unit = F(
        "unit",
        _("Đơn vị"),
        aliases=(
            "mã đơn vị",
            "tên đơn vị",
            "địa bàn",
            "phường/xã",
            "phường",
            "xã",
            "mã phường",
            "mã xã",
            "đơn vị hành chính",
        ),
        required=True,
        example="00307",
    )
    day = F(
        "day",
        _("Ngày"),
        aliases=("ngày thực hiện", "ngày báo cáo"),
        required=True,
        example="12/03/2023",
    )
    households_visited = F(
        "households_visited",
        _("Lượt hộ được tiếp cận"),
        aliases=("hộ được tiếp cận", "lượt hộ gia đình được tiếp cận", "số hộ"),
        example="40",
    )
    install_guidance = F(
        "install_guidance",
        _("Hướng dẫn cài VNeID"),
        aliases=("cài vneid", "cài đặt vneid", "hướng dẫn cài đặt vneid và dịch vụ công"),
        example="14",
    )
    level1_activations = F(
        "level1_activations", _("Kích hoạt mức 1"), aliases=("mức 1",), example="3"
    )
    level2_activations = F(
        "level2_activations",
        _("Kích hoạt mức 2"),
        aliases=("mức 2", "hướng dẫn mức 2"),
        example="5",
    )
    dossiers_total = F(
        "dossiers_total",
        _("Tổng hồ sơ"),
        aliases=("hồ sơ", "hỗ trợ tiếp nhận hồ sơ", "tổng số hồ sơ"),
    )
    dossiers_eid = F(
        "dossiers_eid",
        _("Hồ sơ định danh"),
        aliases=("hồ sơ cấp định danh", "hồ sơ cấp, định danh điện tử"),
        example="2",
    )
    dossiers_online = F(
        "dossiers_online",
        _("Hồ sơ trực tuyến"),
        aliases=("dịch vụ công trực tuyến", "hồ sơ trực tuyến qua cổng dịch vụ công"),
        example="1",
    )
    dossiers_other = F("dossiers_other", _("Hồ sơ khác"), example="0")
    other_help = F(
        "other_help",
        _("Hỗ trợ kỹ năng số khác"),
        aliases=("kỹ năng số khác", "hỗ trợ khác"),
        example="0",
    )
    volunteer_days = F(
        "volunteer_days",
        _("Lượt đoàn viên tham gia"),
        aliases=(
            "lượt đoàn viên thanh niên tham gia",
            "lượt tình nguyện viên",
            "số tình nguyện viên",
            "đoàn viên tham gia",
        ),
        example="6",
    )
    volunteer_names = F(
        "volunteer_names",
        _("Tên tình nguyện viên"),
        aliases=("danh sách tình nguyện viên", "người tham gia"),
    )

    export_keys = (
        "unit",
        "day",
        "households_visited",
        "install_guidance",
        "level1_activations",
        "level2_activations",
        "dossiers_eid",
        "dossiers_online",
        "dossiers_other",
        "other_help",
        "volunteer_days",
        "volunteer_names",
    )


class PostSheet(SheetResource):
    """Awareness posts: one row per post (one file may hold many units' posts)."""

    platform = F(
        "platform",
        _("Nền tảng"),
        aliases=("mạng xã hội", "kênh"),
        required=True,
        example="Facebook",
    )
    url = F(
        "url",
        _("Đường dẫn"),
        aliases=("link", "đường dẫn bài đăng", "url", "liên kết"),
        required=True,
        example="https://facebook.com/doanphuong/posts/123",
    )
    published_on = F(
        "published_on",
        _("Ngày đăng"),
        aliases=("ngày", "ngày đăng bài"),
        required=True,
        example="12/03/2023",
    )
    unit = F(
        "unit",
        _("Đơn vị"),
        aliases=("mã đơn vị", "tên đơn vị", "địa bàn", "phường/xã", "phường", "xã"),
        example="00307",
    )
    author = F(
        "author",
        _("Người đăng"),
        aliases=("tác giả", "người viết", "sđt người đăng"),
        example="0900000006",
    )
    title = F("title", _("Tiêu đề"), aliases=("tên bài", "nội dung"))
    reach = F("reach", _("Lượt tiếp cận"), aliases=("lượt xem", "lượt tương tác"))
