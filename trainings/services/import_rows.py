"""One row of a trainings back-entry file, checked: its date and times, its area, topics and
trainers looked up once per file, every problem named by row and column in Vietnamese."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.phones import normalize_phone
from core.privacy import privacy_findings_messages
from core.text import search_key
from volunteers.models import User
from volunteers.scoping import scope_for

from ..models import Audience, Topic, TrainingSession
from .sessions import session_span, session_times_check

# A row without an end time lasted this long.
DEFAULT_HOURS = 2


@dataclass
class RowPlan:
    row: int
    client_uuid: uuid.UUID
    area: Area
    start: datetime.datetime
    end: datetime.datetime
    topics: list[Topic]
    trainers: list[User]
    audience: str
    attendee_count: int
    address: str = ""
    title: str = ""


@dataclass
class Checked:
    plans: list[RowPlan] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(text)


def _time(value) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    text = _text(value).replace("h", ":").replace("g", ":")
    if text.endswith(":"):
        text += "00"
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, pattern).time()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(text)


class _Lookups:
    """Everything a row refers to, loaded once for the whole file."""

    def __init__(self, user: User, within: Area) -> None:
        self.scope = scope_for(user=user)
        self.within = within
        self.topics = {}
        for topic in Topic.objects.filter(is_active=True).select_related("area"):
            self.topics[topic.code.lower()] = topic
            self.topics[search_key(topic.name)] = topic
        self.audiences = {}
        for value, label in Audience.choices:
            self.audiences[value] = value
            self.audiences[search_key(str(label))] = value
        self.areas: dict[str, list[Area]] = {}
        self.users: dict[str, User | None] = {}

    def areas_for(self, code: str) -> list[Area]:
        if code not in self.areas:
            self.areas[code] = list(
                Area.objects.filter(
                    self.scope.q(field=""), code=code, path__startswith=self.within.path
                )
            )
        return self.areas[code]

    def user_for(self, phone: str) -> User | None:
        if phone not in self.users:
            self.users[phone] = User.objects.filter(phone=phone, is_active=True).first()
        return self.users[phone]


def _check_row(number: int, row: dict, lookups: _Lookups, checked: Checked, now) -> None:
    bad = len(checked.errors)
    day = start_time = None
    try:
        day = _date(row.get("ngay"))
    except ValueError:
        checked.error(number, "ngay", _("Ngày không đúng dạng ngày/tháng/năm."))
    try:
        start_time = _time(row.get("gio_bat_dau"))
    except ValueError:
        checked.error(number, "gio_bat_dau", _("Giờ bắt đầu không đúng dạng giờ:phút."))
    end_time = None
    if _text(row.get("gio_ket_thuc")):
        try:
            end_time = _time(row.get("gio_ket_thuc"))
        except ValueError:
            checked.error(number, "gio_ket_thuc", _("Giờ kết thúc không đúng dạng giờ:phút."))
    code = _text(row.get("ma_dia_ban"))
    candidates = lookups.areas_for(code) if code else []
    if not candidates:
        checked.error(
            number,
            "ma_dia_ban",
            _("Không có địa bàn mã “%(code)s” trong %(area)s.")
            % {"code": code, "area": lookups.within.name},
        )
    topics = []
    for part in _text(row.get("chu_de")).replace(",", ";").split(";"):
        if not part.strip():
            continue
        topic = lookups.topics.get(part.strip().lower()) or lookups.topics.get(search_key(part))
        if topic is None:
            checked.error(
                number, "chu_de", _("Không có chủ đề “%(topic)s”.") % {"topic": part.strip()}
            )
        else:
            topics.append(topic)
    if not topics and not any(e["column"] == "chu_de" for e in checked.errors[bad:]):
        checked.error(number, "chu_de", _("Hãy ghi ít nhất một chủ đề."))
    audience_text = _text(row.get("doi_tuong"))
    audience = Audience.RESIDENTS
    if audience_text:
        audience = lookups.audiences.get(audience_text) or lookups.audiences.get(
            search_key(audience_text)
        )
        if audience is None:
            checked.error(
                number, "doi_tuong", _("Đối tượng “%(value)s” không rõ.") % {"value": audience_text}
            )
    count_text = _text(row.get("so_nguoi"))
    count = None
    try:
        count = int(count_text)
    except ValueError:
        checked.error(number, "so_nguoi", _("Số người tham dự phải là một số nguyên."))
    else:
        if count < 0:
            checked.error(number, "so_nguoi", _("Số người tham dự không thể là số âm."))
    trainers = []
    for part in _text(row.get("sdt_nguoi_huong_dan")).replace(",", ";").split(";"):
        if not part.strip():
            continue
        try:
            phone = normalize_phone(part)
        except ValidationError:
            checked.error(
                number,
                "sdt_nguoi_huong_dan",
                _("Số điện thoại “%(phone)s” không hợp lệ.") % {"phone": part.strip()},
            )
            continue
        trainer = lookups.user_for(phone)
        if trainer is None:
            checked.error(
                number,
                "sdt_nguoi_huong_dan",
                _("Không có tình nguyện viên nào có số %(phone)s.") % {"phone": part.strip()},
            )
        else:
            trainers.append(trainer)
    client_uuid = uuid.uuid4()
    raw_uuid = _text(row.get("ma_phieu"))
    if raw_uuid:
        try:
            client_uuid = uuid.UUID(raw_uuid)
        except ValueError:
            checked.error(number, "ma_phieu", _("Mã phiếu không đúng dạng UUID."))
        else:
            if TrainingSession.objects.filter(client_uuid=client_uuid).exists():
                checked.error(number, "ma_phieu", _("Lớp có mã phiếu này đã được nhập trước đó."))
    if day and start_time:
        if end_time:
            start, end = session_span(day, start_time, end_time)  # read as on the form
        else:
            start = timezone.make_aware(datetime.datetime.combine(day, start_time))
            end = start + datetime.timedelta(hours=DEFAULT_HOURS)
        if start > now:
            checked.error(number, "ngay", _("Lớp ở tương lai chưa thể nhập là đã tổ chức."))
        # The service's own rule (the write asks it again), named here by row and column.
        try:
            session_times_check(start=start, end=end)
        except ValidationError as error:
            for message in error.messages:
                if not end_time:
                    message = _(
                        "Không có giờ kết thúc nên buổi học được tính dài %(hours)d giờ. %(reason)s"
                    ) % {"hours": DEFAULT_HOURS, "reason": message}
                checked.error(number, "gio_ket_thuc", message)
    for column in ("dia_diem", "ten_lop"):  # the one privacy guard, named by row and column
        for message in privacy_findings_messages(_text(row.get(column))):
            checked.error(number, column, message)
    if len(checked.errors) > bad:
        return
    valid = [
        area
        for area in candidates
        if (area.valid_from is None or area.valid_from <= day)
        and (area.valid_to is None or area.valid_to >= day)
    ]
    checked.plans.append(
        RowPlan(
            row=number,
            client_uuid=client_uuid,
            area=(valid or candidates)[0],
            start=start,
            end=end,
            topics=topics,
            trainers=trainers,
            audience=audience,
            attendee_count=count,
            address=_text(row.get("dia_diem"))[:255],
            title=_text(row.get("ten_lop"))[:200],
        )
    )
