"""Exports of the workspace lists to csv or xlsx, written by a worker to a file, row by row.

Memory stays flat in the number of rows: querysets are read with .iterator(chunk_size) and
written straight to disk (csv) or through openpyxl's write-only workbook (xlsx). Every text
cell that a spreadsheet would run as a formula is neutralised (CSV injection).
"""

import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.spreadsheets.writer import ExportSpec, write_csv, write_xlsx
from volunteers.models import User

from ..models import ExportJob, ExportKind, JobStatus
from . import households, people

EXPORTERS: dict[str, Callable[..., ExportSpec]] = {
    ExportKind.VOLUNTEERS: people.volunteer_rows,
    ExportKind.TEAMS: people.team_rows,
    ExportKind.HOUSEHOLDS: households.household_rows,
    ExportKind.VISITS: households.visit_rows,
}
MAX_ATTEMPTS = 3


def export_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_spec(*, kind: str, ward: Area, filters: dict) -> ExportSpec:
    return EXPORTERS[kind](ward=ward, filters=filters)


def export_job_create(
    *, kind: str, fmt: str, ward: Area, user: User, filters: dict | None = None
) -> ExportJob:
    job = ExportJob.objects.create(
        kind=kind,
        fmt=fmt,
        ward=ward,
        created_by=user,
        filters=filters or {},
        heartbeat_at=timezone.now(),
    )
    from ..tasks import export_job_run_task

    export_job_run_task.delay_on_commit(job.pk)
    return job


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write the file. Each run claims the job as its next attempt; a run that a later attempt
    overtook (sent again while this one was only slow) leaves the job and removes its file."""
    job = ExportJob.objects.select_related("ward").filter(pk=job_id).first()
    if job is None or job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return None
    live = ExportJob.objects.filter(pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    if job.attempts >= MAX_ATTEMPTS:  # it killed its worker each time: stop sending it
        live.filter(attempts=job.attempts).update(
            status=JobStatus.FAILED,
            error=_("Đã thử %(n)d lần không thành công.") % {"n": MAX_ATTEMPTS},
            finished_at=timezone.now(),
        )
        return None
    attempt = job.attempts + 1
    spec = export_spec(kind=job.kind, ward=job.ward, filters=job.filters)
    claimed = live.filter(attempts=job.attempts).update(
        status=JobStatus.RUNNING,
        total=spec.total,
        attempts=attempt,
        heartbeat_at=timezone.now(),
    )
    if not claimed:  # another run claimed it between our read and our update
        return None
    mine = ExportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=attempt)
    path = export_dir() / f"{job.pk}-{secrets.token_hex(8)}.{job.fmt}"

    def progress(done: int) -> None:
        # Each write is also the job's heartbeat: a job that stops writing is sent again.
        mine.update(processed=done, heartbeat_at=timezone.now())

    try:
        writer = write_xlsx if job.fmt == "xlsx" else write_csv
        count = writer(path, spec, progress)
    except Exception:
        path.unlink(missing_ok=True)
        mine.update(
            status=JobStatus.FAILED, error=_("Lỗi khi xuất dữ liệu."), finished_at=timezone.now()
        )
        raise
    finished = mine.update(
        status=JobStatus.DONE,
        path=str(path),
        total=count,
        processed=count,
        finished_at=timezone.now(),
    )
    if not finished:  # overtaken: the newer attempt's file is the one kept
        path.unlink(missing_ok=True)
        return None
    job.refresh_from_db()
    return job
