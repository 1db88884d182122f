"""Back-entry of past sessions from xlsx/csv: every row is checked first; the file lands whole
(one transaction) or not at all, with every bad row and column reported in Vietnamese."""

import datetime
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Area
from core.jobs.models import JobStatus
from core.jobs.runner import Attempt, JobKind, Overtaken, job_dispatch
from core.phones import normalize_phone
from core.privacy import privacy_findings_messages
from core.spreadsheets.reader import FORMULA_MESSAGE, Column, FileRefused, open_table
from core.text import search_key
from volunteers.models import User
from volunteers.scoping import scope_for

from ..models import Audience, SessionImport, Topic, TrainingSession
from .sessions import session_plan, session_report

MAX_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
PROGRESS_EVERY = 50

# Column key -> accepted header spellings (compared accent-free).
COLUMNS = {
    "ngay": ("ngay", "ngay to chuc"),
    "gio_bat_dau": ("gio_bat_dau", "gio bat dau", "bat dau"),
    "gio_ket_thuc": ("gio_ket_thuc", "gio ket thuc", "ket thuc"),
    "ma_dia_ban": ("ma_dia_ban", "ma dia ban"),
    "dia_diem": ("dia_diem", "dia diem"),
    "chu_de": ("chu_de", "chu de"),
    "doi_tuong": ("doi_tuong", "doi tuong"),
    "so_nguoi": ("so_nguoi", "so nguoi", "so nguoi tham du"),
    "sdt_nguoi_huong_dan": ("sdt_nguoi_huong_dan", "sdt nguoi huong dan", "nguoi huong dan"),
    "ten_lop": ("ten_lop", "ten lop"),
    "ma_phieu": ("ma_phieu", "ma phieu"),
}
REQUIRED = ("ngay", "gio_bat_dau", "ma_dia_ban", "chu_de", "so_nguoi")


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


def session_import_start(*, user: User, area: Area, upload: UploadedFile) -> SessionImport:
    """Keep the file and queue the import after commit."""
    if not scope_for(user=user).contains(area):
        raise ValidationError({"area": _("Địa bàn này nằm ngoài phạm vi của bạn.")})
    name = (upload.name or "").lower()
    if not name.endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Chỉ nhận tệp .xlsx hoặc .csv.")})
    if not upload.size:
        raise ValidationError({"file": _("Tệp trống.")})
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("Tệp nhập quá lớn (tối đa 5 MB).")})
    with transaction.atomic():
        job = SessionImport.objects.create(
            file=upload, area=area, original_name=upload.name[:255], created_by=user
        )
        job_dispatch(job)
    return job


@dataclass
class Sheet:
    """The rows of an uploaded file, read through the one guarded reader."""

    columns: set[str]
    rows: list[tuple[int, dict[str, object], list[str]]]  # number, values, formula keys

    @property
    def height(self) -> int:
        return len(self.rows)


# All optional in the reader: a missing required column is reported per column, as a row error.
_COLUMNS = [
    Column(key=key, label=spellings[0], aliases=spellings) for key, spellings in COLUMNS.items()
]


def _load(job: SessionImport) -> Sheet:
    """Read the file (size cap, zip and XML bombs, encodings: core.spreadsheets.reader), at
    most MAX_ROWS + 1 rows: one more tells the check that the file is too long."""
    with job.file.open("rb") as handle:
        content = handle.read()
    table = open_table(content=content, filename=job.original_name, columns=_COLUMNS)
    return Sheet(columns=set(table.columns), rows=list(itertools.islice(table.rows, MAX_ROWS + 1)))


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
        start = timezone.make_aware(datetime.datetime.combine(day, start_time))
        end = (
            timezone.make_aware(datetime.datetime.combine(day, end_time))
            if end_time
            else start + datetime.timedelta(hours=2)
        )
        if start > now:
            checked.error(number, "ngay", _("Lớp ở tương lai chưa thể nhập là đã tổ chức."))
        if end < start:
            checked.error(number, "gio_ket_thuc", _("Giờ kết thúc phải sau giờ bắt đầu."))
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


def _check(job: SessionImport, dataset: Sheet, progress: Callable[[int], None]) -> Checked:
    checked = Checked()
    missing = [column for column in REQUIRED if column not in dataset.columns]
    if missing:
        for column in missing:
            checked.error(1, column, _("Thiếu cột “%(column)s”.") % {"column": column})
        return checked
    if dataset.height > MAX_ROWS:
        checked.error(0, "", _("Tệp có quá %(count)d dòng.") % {"count": MAX_ROWS})
        return checked
    if dataset.height == 0:
        checked.error(0, "", _("Tệp không có dòng dữ liệu nào."))
        return checked
    lookups = _Lookups(job.created_by, job.area)
    now = timezone.now()
    seen: dict[uuid.UUID, int] = {}
    for index, row, formulas in dataset.rows:
        if formulas:
            # The reader keeps no formula's cached value: ask for the values themselves.
            for column in formulas:
                checked.error(index, column, str(FORMULA_MESSAGE))
            continue
        if not any(_text(value) for value in row.values()):
            continue
        _check_row(index, row, lookups, checked, now)
        if checked.plans and checked.plans[-1].row == index:
            plan = checked.plans[-1]
            if plan.client_uuid in seen:
                checked.error(
                    index,
                    "ma_phieu",
                    _("Trùng mã phiếu với dòng %(row)d.") % {"row": seen[plan.client_uuid]},
                )
            seen.setdefault(plan.client_uuid, index)
        if (index - 1) % PROGRESS_EVERY == 0:
            progress(index - 1)
    return checked


def _write(job: SessionImport, plans: list[RowPlan]) -> int:
    user = job.created_by
    with transaction.atomic():
        for plan in plans:
            session = session_plan(
                user=user,
                client_uuid=plan.client_uuid,
                area=plan.area,
                start=plan.start,
                end=plan.end,
                topics=plan.topics,
                trainers=plan.trainers,
                address=plan.address,
                audience=plan.audience,
                title=plan.title,
            )
            session_report(user=user, session=session, attendee_count=plan.attendee_count)
    return len(plans)


def session_import_run(attempt: Attempt) -> None:
    """Run by core.jobs.runner: check every row, then write all and finish in one transaction."""
    job = SessionImport.objects.select_related("created_by", "area").get(pk=attempt.job.pk)
    if job.created_by is None:  # the person who imported has been deleted since
        attempt.finish(JobStatus.FAILED, error=_("Người nhập tệp không còn trong hệ thống."))
        return
    try:
        dataset = _load(job)
    except FileRefused as refused:  # a broken, foreign or hostile file: say why, write nothing
        checked = Checked()
        checked.error(0, "", _("Không đọc được tệp: %(reason)s") % {"reason": refused.message})
    except Exception:  # the reader refuses what it knows; anything else is still no 500
        checked = Checked()
        checked.error(
            0, "", _("Không đọc được tệp. Hãy lưu lại dưới dạng .xlsx hoặc .csv (UTF-8).")
        )
    else:
        attempt.progress(0, total=dataset.height)
        checked = _check(job, dataset, attempt.progress)
    if not checked.errors:
        try:
            with transaction.atomic():
                created = _write(job, checked.plans)
                if not attempt.finish(JobStatus.DONE, created_count=created, errors=[]):
                    raise Overtaken  # rolls this run's sessions back: the newer attempt writes
            return
        except ValidationError as error:
            checked.error(0, "", "; ".join(error.messages))
    attempt.finish(JobStatus.INVALID, errors=checked.errors, processed=attempt.job.total)


SESSION_IMPORTS = JobKind(
    model=SessionImport,
    run=session_import_run,
    failure=gettext_lazy("Lỗi hệ thống khi nhập; chưa ghi lớp nào."),
)
