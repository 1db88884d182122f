"""Import jobs: upload → preview (every bad row, by row and column) → confirm → one transaction.

An importer (one per kind of list) knows its columns, how to clean one row, the key that makes
a row a duplicate, and how to write many rows at once. This module runs the steps around it:
the preview, and the worker's run (locked per ward, all or nothing), which core.jobs.runner
claims, retries after a killed worker, and keeps the heartbeat of.
"""

import hashlib
import io
import re
import time
import zipfile
from collections.abc import Iterable

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Area
from core.jobs.runner import Attempt, JobKind, Overtaken, job_dispatch, job_run
from core.spreadsheets.reader import FileRefused, Table, check_upload, open_table
from core.text import mask_id_numbers
from volunteers.models import User

from ..models import ImportJob, JobStatus
from .base import Importer, PackedRecords
from .registry import importer_for
from .validation import BATCH, Validation, batched, validate

MAX_STORED_ERRORS = 1000
LOCK_RETRY_S = 1.0


# --- Preview -------------------------------------------------------------------------------------
def inline_check_max_bytes() -> int:
    """Uploads up to this size are checked in the request. 0, the default: every upload is
    checked by a worker with the progress card, since a check's time depends on what the rows
    hold, not only on the file's size, and a request past a proxy's timeout shows nothing.
    A deployment without a worker runs the job eagerly (CELERY_TASK_ALWAYS_EAGER) anyway."""
    return int(getattr(settings, "TUNGNHA_IMPORT_INLINE_CHECK_BYTES", 0))


def import_job_upload(
    *,
    kind: str,
    ward: Area,
    user: User,
    filename: str,
    content: bytes,
    options: dict | None = None,
) -> ImportJob:
    """The upload door of the pages: a small file previewed at once (import_job_create), a big
    one stored and checked by a worker (the job shows its bar, then the same preview). Only the
    cheap refusals (name, size) are raised here; the others end the job, saying why."""
    check_upload(name=filename, size=len(content))
    if len(content) <= inline_check_max_bytes():
        return import_job_create(
            kind=kind, ward=ward, user=user, filename=filename, content=content, options=options
        )
    job = ImportJob.objects.create(
        kind=kind,
        ward=ward,
        created_by=user,
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        options=options or {},
        status=JobStatus.QUEUED,
        checked=False,
        total=estimated_rows(content=content, filename=filename),
        heartbeat_at=timezone.now(),
    )
    job_dispatch(job)
    return job


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimated_rows(*, content: bytes, filename: str) -> int:
    """About how many rows a file has, cheaply, for the check's bar: a csv's lines, an xlsx's
    declared extent (Excel writes it first); 0 when unknown (the bar waits at 0 %)."""
    if filename.lower().endswith(".csv"):
        return max(content.count(b"\n") - 1, 0)
    try:
        with (
            zipfile.ZipFile(io.BytesIO(content)) as archive,
            archive.open("xl/worksheets/sheet1.xml") as sheet,
        ):
            match = _DIMENSION.search(sheet.read(4096))
    except (KeyError, OSError, zipfile.BadZipFile):
        return 0
    return max(int(match.group(1)) - 1, 0) if match else 0


def _check_in_worker(attempt: Attempt) -> None:
    """The preview of a big upload, as a job: every row checked with the bar moving, then the
    job waits for the user's confirmation (or lists its errors) as a small upload's does."""
    job = attempt.job
    importer = importer_for(kind=job.kind, ward=job.ward, user=job.created_by, options=job.options)
    estimate = job.total

    def progress(done: int) -> None:
        attempt.progress(min(done, max(estimate - 1, 0)) if estimate else 0)

    try:
        content = bytes(job.content)
        table = open_table(content=content, filename=job.filename, columns=importer.columns)
        validation = validate(importer=importer, table=table, pack=True, progress=progress)
        kept = _content_to_keep(importer, table, content)
    except FileRefused as refused:
        attempt.finish(JobStatus.FAILED, error=refused.message, content=b"", checked=True)
        return
    _store_validation(job, validation)
    records = None
    if validation.packed is not None and validation.valid:
        records = validation.packed.stored()
    attempt.finish(
        JobStatus.INVALID if validation.errors else JobStatus.PREVIEW,
        errors=job.errors,
        warnings=job.warnings,
        total=validation.total,
        processed=validation.total,
        result=job.result,
        records=records,
        content=kept,
        checked=True,
        attempts=0,  # the import, once confirmed, is its own first attempt
        finished_at=None,
    )


def import_job_create(
    *,
    kind: str,
    ward: Area,
    user: User,
    filename: str,
    content: bytes,
    options: dict | None = None,
) -> ImportJob:
    """Store the upload and preview it. Returns the job; a refused file raises FileRefused."""
    importer = importer_for(kind=kind, ward=ward, user=user, options=options)
    table = open_table(content=content, filename=filename, columns=importer.columns)
    validation = validate(importer=importer, table=table, pack=True)
    job = ImportJob(
        kind=kind,
        ward=ward,
        created_by=user,
        filename=filename[:255],
        content=_content_to_keep(importer, table, content),
        sha256=hashlib.sha256(content).hexdigest(),
        options=options or {},
    )
    _store_validation(job, validation)
    job.status = JobStatus.INVALID if validation.errors else JobStatus.PREVIEW
    # The packed rows are the valid ones only: kept for an invalid file too, whose valid rows
    # the user may choose to import (import_job_confirm_valid).
    if validation.packed is not None and validation.valid:
        job.records = validation.packed.stored()
    validation.packed = None
    job.save()
    return job


def _content_to_keep(importer: Importer, table: Table, content: bytes) -> bytes:
    """The upload as kept on the job, for the worker to read again: nothing when it holds
    citizen ID numbers. An importer that keeps its checked rows (`packs`) does not need the file
    (an invalid job never runs); any other cannot run without it, so such a file is refused."""
    if not table.id_columns:
        return content
    if importer.packs:
        return b""
    raise FileRefused(
        _(
            "Tệp có cột số định danh cá nhân (CCCD/CMND): “%(name)s”. Không lưu số định danh: "
            "hãy xoá cột này rồi tải lên lại."
        )
        % {"name": table.id_columns[0]}
    )


def _store_validation(job: ImportJob, validation: Validation) -> None:
    job.errors = [error.as_dict() for error in validation.errors[:MAX_STORED_ERRORS]]
    job.warnings = [mask_id_numbers(warning) for warning in validation.warnings]
    job.total = validation.total
    job.result = {
        "rows": validation.total,
        "error_count": len(validation.errors),
        "error_rows": len({error.row for error in validation.errors}),
        "existing": validation.existing,
        "existing_rows": validation.existing_rows[:200],
        "new": validation.valid - validation.existing,
        "valid": validation.valid,
        "contacts_added": validation.updates,
        **validation.extra,
    }


def import_job_confirm(*, job: ImportJob, options: dict | None = None) -> bool:
    """Queue a previewed job once (a second click does nothing); `options` given at the
    confirmation (a tally import's "these are other work than the visits") replace the job's."""
    changes: dict = {"status": JobStatus.QUEUED, "processed": 0, "heartbeat_at": timezone.now()}
    if options is not None:
        changes["options"] = options
    updated = ImportJob.objects.filter(pk=job.pk, status=JobStatus.PREVIEW).update(**changes)
    if updated:
        if options is not None:
            job.options = options
        job_dispatch(job)
    return bool(updated)


def import_job_can_take_valid_rows(job: ImportJob) -> bool:
    """An invalid job whose valid rows can still be imported (its file or rows are kept)."""
    if job.status != JobStatus.INVALID or not job.result.get("valid"):
        return False
    return (
        ImportJob.objects.filter(pk=job.pk)
        .filter(~Q(content=b"") | Q(records__isnull=False))
        .exists()
    )


def import_job_confirm_valid(*, job: ImportJob, options: dict | None = None) -> bool:
    """Queue the valid rows of an invalid job, once: the bad rows are left out (they stay in
    its errors, downloadable as the same sheet plus an error column)."""
    if not import_job_can_take_valid_rows(job):
        return False
    options = {**(job.options if options is None else options), "valid_only": True}
    updated = ImportJob.objects.filter(pk=job.pk, status=JobStatus.INVALID).update(
        status=JobStatus.QUEUED, processed=0, heartbeat_at=timezone.now(), options=options
    )
    if updated:
        job.options = options
        job_dispatch(job)
    return bool(updated)


# --- Run (in the worker, by core.jobs.runner) ------------------------------------------------
class Progress:
    """The import's bar over the runner's: checking the rows is its first half, writing them
    the second (`processed` runs from 0 to `total`; ImportJob.percent is one over the other)."""

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt
        self.offset = 0

    def __call__(self, done: int) -> None:
        self.attempt.progress(min((self.offset + done) // 2, self.attempt.job.total))

    def beat(self) -> None:
        self.attempt.beat()


def _on_claim(job: ImportJob) -> dict[str, int]:
    # Rows packed at the preview are already checked: the bar starts at its middle.
    checked = job.checked and job.records is not None
    return {"processed": job.total // 2 if checked else 0}


def _lock_ward(job: ImportJob, progress: Progress) -> None:
    """Take the ward's row lock for this transaction, keeping the job's heartbeat going while
    another import of the ward holds it (waiting is not dying: the sweep must not resend)."""
    while True:
        try:
            with transaction.atomic():  # a savepoint: a refused NOWAIT leaves the rest intact
                Area.objects.select_for_update(nowait=True).filter(pk=job.ward_id).first()
            return
        except OperationalError:
            progress.beat()
            time.sleep(LOCK_RETRY_S)


def import_job_execute(attempt: Attempt) -> None:
    """Validate again (the database may have changed), then write every row or none.

    Rows packed at the preview are read back batch by batch; other importers parse the file
    again. Every batch is checked against the database and written inside one transaction,
    which also marks the job done: an overtaken run rolls its rows back (core.jobs.runner)."""
    job = attempt.job
    if not job.checked:
        _check_in_worker(attempt)
        return
    importer = importer_for(kind=job.kind, ward=job.ward, user=job.created_by, options=job.options)
    progress = Progress(attempt)
    try:
        if job.records is not None:
            records = (importer.load(row) for row in PackedRecords.rows(job.records))
        else:
            table = open_table(
                content=bytes(job.content), filename=job.filename, columns=importer.columns
            )
            validation = validate(importer=importer, table=table, progress=progress)
            if validation.errors and job.options.get("valid_only"):
                _store_validation(job, validation)  # the rows left out, as they are now
            elif validation.errors:
                _store_validation(job, validation)
                attempt.finish(
                    JobStatus.INVALID,
                    errors=job.errors,
                    warnings=job.warnings,
                    total=job.total,
                    result=job.result,
                )
                return
            records = (record for _number, record in validation.records)
        job.content = b""  # not needed any more in this process
        progress.offset = job.total
        progress(0)
        _write_all(attempt, importer, records, progress)
    except FileRefused as refused:
        attempt.finish(JobStatus.FAILED, error=refused.message)


def _write_all(attempt: Attempt, importer: Importer, records: Iterable, progress: Progress) -> None:
    job = attempt.job
    with transaction.atomic():
        # One import at a time per ward: a second one waits, then sees the first's rows.
        _lock_ward(job, progress)
        if not attempt.still_mine():  # checked under the lock, before writing anything
            raise Overtaken
        done = existing = 0
        written: dict[str, int] = {}
        for batch in batched(records, BATCH):
            found = importer.existing_keys(batch)
            fresh = [record for record in batch if importer.key(record) not in found]
            stored = [record for record in batch if importer.key(record) in found]
            existing += len(stored)
            offset = done
            counts = importer.write(fresh, lambda n, offset=offset: progress(offset + n))
            for name, value in [*counts.items(), *importer.update(stored).items()]:
                written[name] = written.get(name, 0) + value
            done += len(batch)
            progress(done)
        result = {**job.result, "rows": job.total, "existing": existing, "written": written}
        left_out = {}
        if job.options.get("valid_only"):
            # The bad rows were left out on purpose: the job keeps saying which.
            result["left_out_rows"] = job.result.get("error_rows", 0)
            left_out = {"errors": job.errors}
        if not attempt.finish(JobStatus.DONE, processed=job.total, result=result, **left_out):
            raise Overtaken  # rolls this run's rows back: the newer attempt writes them


IMPORT_JOBS = JobKind(
    model=ImportJob,
    run=import_job_execute,
    failure=gettext_lazy("Lỗi hệ thống khi nhập; không có dòng nào được ghi."),
    on_claim=_on_claim,
)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """One attempt at the job, as the worker runs it (the runner claims, retries, finishes)."""
    return job_run(kind=IMPORT_JOBS.label, job_id=job_id)
