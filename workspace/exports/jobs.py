"""Exports of the workspace lists to csv or xlsx, written by a worker to a file, row by row.

Memory stays flat in the number of rows: querysets are read with .iterator(chunk_size) and
written straight to disk (csv) or through xlsxwriter's constant-memory mode (xlsx). Every text
cell that a spreadsheet would run as a formula is neutralised (CSV injection).
"""

import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from areas.models import Area
from core.jobs.runner import Attempt, JobKind, Overtaken, job_dispatch, job_run
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
    job_dispatch(job)
    return job


def export_job_execute(attempt: Attempt) -> None:
    """Write the file. A run that a later attempt overtook (sent again while this one was only
    slow) leaves the job to it and removes its own file: only the latest attempt's is kept."""
    job = attempt.job
    spec = export_spec(kind=job.kind, ward=job.ward, filters=job.filters)
    attempt.progress(0, total=spec.total)
    path = export_dir() / f"{job.pk}-{secrets.token_hex(8)}.{job.fmt}"
    try:
        writer = write_xlsx if job.fmt == "xlsx" else write_csv
        count = writer(path, spec, attempt.progress)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    if not attempt.finish(JobStatus.DONE, path=str(path), total=count, processed=count):
        path.unlink(missing_ok=True)
        raise Overtaken


EXPORT_JOBS = JobKind(
    model=ExportJob, run=export_job_execute, failure=gettext_lazy("Lỗi khi xuất dữ liệu.")
)


def export_job_run(*, job_id: int) -> ExportJob | None:
    """One attempt at the job, as the worker runs it (the runner claims, retries, finishes)."""
    return job_run(kind=EXPORT_JOBS.label, job_id=job_id)
