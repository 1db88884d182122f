"""Import jobs: upload → preview (every bad row, by row and column) → confirm → one transaction.

An importer (one per kind of list) knows its columns, how to clean one row, the key that makes
a row a duplicate, and how to write many rows at once. This module runs the steps around it:
the preview, the worker's run (locked per ward, all or nothing, re-runnable after a killed
worker), and the progress a coordinator watches.
"""

import hashlib
import time

from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.spreadsheets.reader import FileRefused, open_table
from volunteers.models import User

from ..models import ImportJob, JobStatus
from .base import PackedRecords
from .registry import importer_for
from .validation import BATCH, Validation, batched, validate

MAX_STORED_ERRORS = 1000
MAX_ATTEMPTS = 3
LOCK_RETRY_S = 1.0


# --- Preview -------------------------------------------------------------------------------------
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
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        options=options or {},
    )
    _store_validation(job, validation)
    job.status = JobStatus.INVALID if validation.errors else JobStatus.PREVIEW
    if not validation.errors and validation.packed is not None and validation.valid:
        job.records = validation.packed.stored()
    validation.packed = None
    job.save()
    return job


def _store_validation(job: ImportJob, validation: Validation) -> None:
    job.errors = [error.as_dict() for error in validation.errors[:MAX_STORED_ERRORS]]
    job.warnings = validation.warnings
    job.total = validation.total
    job.result = {
        "rows": validation.total,
        "error_count": len(validation.errors),
        "error_rows": len({error.row for error in validation.errors}),
        "existing": validation.existing,
        "existing_rows": validation.existing_rows[:200],
        "new": validation.valid - validation.existing,
    }


def import_job_confirm(*, job: ImportJob) -> bool:
    """Queue a previewed job once (a second click does nothing)."""
    updated = ImportJob.objects.filter(pk=job.pk, status=JobStatus.PREVIEW).update(
        status=JobStatus.QUEUED, processed=0, heartbeat_at=timezone.now()
    )
    if updated:
        from ..tasks import import_job_run_task

        transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return bool(updated)


# --- Run (in the worker) ---------------------------------------------------------------------
class Progress:
    """Write progress where the coordinator's page can see it, even from inside the transaction.

    On PostgreSQL a second, autocommitting connection writes the counter; elsewhere (SQLite
    allows one writer) the counter moves only outside the transaction.
    """

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.offset = 0
        self.last = 0.0
        self.side = None
        self.table = ImportJob._meta.db_table

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5:
            return
        self.last = now
        # Checking the rows is the first half of the bar, writing them the second:
        # `processed` runs from 0 to `total` (ImportJob.percent is processed over total).
        self._write(processed=min((self.offset + done) // 2, self.job.total))

    def beat(self) -> None:
        """Only say the job is alive (it waits for its ward's lock): the bar stays put."""
        self._write()

    def _write(self, **fields) -> None:
        # Each write is also the job's heartbeat: a job that stops writing is sent again.
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now(), **fields)
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connection.get_new_connection(connection.get_connection_params())
                self.side.autocommit = True
            assignments = "".join(f", {name} = %s" for name in fields)
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self.table} SET heartbeat_at = now(){assignments} "  # noqa: S608
                    "WHERE id = %s",
                    [*fields.values(), self.job.pk],
                )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def _claim(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            return None  # done, failed, or never confirmed: nothing to do
        job.attempts += 1
        if job.attempts > MAX_ATTEMPTS:
            job.status = JobStatus.FAILED
            job.result = {
                **job.result,
                "failure": _("Đã thử %(n)d lần không thành công.") % {"n": MAX_ATTEMPTS},
            }
            job.finished_at = timezone.now()
            job.save()
            return None
        job.status = JobStatus.RUNNING
        job.started_at = job.heartbeat_at = timezone.now()
        # Rows packed at the preview are already checked: the bar starts at its middle.
        job.processed = job.total // 2 if job.records is not None else 0
        job.save(update_fields=["attempts", "status", "started_at", "heartbeat_at", "processed"])
        return job


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


def _still_mine(job: ImportJob) -> bool:
    """Whether no later attempt has claimed the job (one sent again while this run was only
    slow): the older run then stops before writing, and the newer one writes."""
    return ImportJob.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts
    ).exists()


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Validate again (the database may have changed), then write every row or none.

    Rows packed at the preview are read back batch by batch; other importers parse the file
    again. Every batch is checked against the database and written inside one transaction."""
    job = _claim(job_id)
    if job is None:
        return None
    importer = importer_for(kind=job.kind, ward=job.ward, user=job.created_by, options=job.options)
    progress = Progress(job)
    try:
        if job.records is not None:
            records = (importer.load(row) for row in PackedRecords.rows(job.records))
        else:
            table = open_table(
                content=bytes(job.content), filename=job.filename, columns=importer.columns
            )
            validation = validate(importer=importer, table=table, progress=progress)
            if validation.errors:
                _store_validation(job, validation)
                job.status = JobStatus.INVALID
                job.finished_at = timezone.now()
                job.save()
                return job
            records = (record for _number, record in validation.records)
        job.content = b""  # not needed any more in this process
        progress.offset = job.total
        progress(0)
        with transaction.atomic():
            # One import at a time per ward: a second one waits, then sees the first's rows.
            _lock_ward(job, progress)
            if not _still_mine(job):
                return None
            done = existing = 0
            written: dict[str, int] = {}
            for batch in batched(records, BATCH):
                found = importer.existing_keys(batch)
                fresh = [record for record in batch if importer.key(record) not in found]
                existing += len(batch) - len(fresh)
                offset = done
                counts = importer.write(fresh, lambda n, offset=offset: progress(offset + n))
                for name, value in counts.items():
                    written[name] = written.get(name, 0) + value
                done += len(batch)
                progress(done)
            job.status = JobStatus.DONE
            job.processed = job.total
            job.result = {**job.result, "rows": job.total, "existing": existing, "written": written}
            job.finished_at = timezone.now()
            job.save(
                update_fields=["status", "processed", "result", "finished_at"],
            )
    except FileRefused as refused:
        _fail(job, refused.message)
    except Exception as error:
        _fail(job, _("Lỗi hệ thống khi nhập; không có dòng nào được ghi."))
        raise error
    finally:
        progress.close()
    return job


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        result={**job.result, "failure": message},
    )
