"""Back-entry of past sessions from xlsx/csv: every row is checked first; the file lands whole
(one transaction) or not at all, with every bad row and column reported in Vietnamese."""

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Area
from core.jobs.models import JobStatus
from core.jobs.runner import Attempt, JobKind, Overtaken, job_dispatch
from core.spreadsheets.reader import FORMULA_MESSAGE, Column, FileRefused, open_table
from volunteers.models import User
from volunteers.scoping import scope_for

from ..models import SessionImport
from .import_rows import Checked, RowPlan, _check_row, _Lookups, _text
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
