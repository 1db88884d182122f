"""Import jobs: upload → preview (every bad row, by row and column) → confirm → one transaction.

An importer (one per kind of list) knows its columns, how to clean one row, the key that makes
a row a duplicate, and how to write many rows at once. This module runs the steps around it:
the preview, the worker's run (locked per ward, all or nothing, re-runnable after a killed
worker), and the progress a coordinator watches.
"""

import base64
import hashlib
import json
import time
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from areas.models import Area
from core.spreadsheets.reader import (
    FORMULA_MESSAGE,
    Column,
    FileRefused,
    RowError,
    Table,
    open_table,
    text_of,
)

from .models import User
from .workspace_models import ImportJob, ImportKind, JobStatus

IMPORTERS = {
    ImportKind.VOLUNTEERS: "volunteers.volunteer_import.VolunteerImporter",
    ImportKind.HOUSEHOLDS: "households.imports.households.HouseholdImporter",
    ImportKind.VISITS: "households.imports.visits.VisitImporter",
    ImportKind.GROUPS: "volunteers.group_import.ResidentialGroupImporter",
}
MAX_STORED_ERRORS = 1000
MAX_ATTEMPTS = 3
# Clean rows are checked against the database and written this many at a time: memory stays
# flat in the size of the file, and the one transaction still covers every batch.
BATCH = 5000
LOCK_RETRY_S = 1.0
PACKED = "jsonl+zlib+base64"


class Importer:
    """Subclass per kind. `clean` returns a record (anything) or None after reporting errors."""

    kind: str = ""
    columns: list[Column] = []
    existing_message = ""

    def __init__(self, *, ward: Area, user: User | None, options: dict | None = None) -> None:
        self.ward = ward
        self.user = user
        self.options = options or {}

    def prepare(self) -> None:
        """Load lookups once (groups by name, teams, …)."""

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        raise NotImplementedError

    def key(self, record) -> Hashable:
        raise NotImplementedError

    def existing_keys(self, records: list) -> set:
        """Keys of `records` already in the database (they are skipped, never doubled).

        Called once per batch of at most BATCH records, in file order; an importer may load
        its lookup on the first call and keep it for the next batches of the same run."""
        return set()

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        """Write one batch (inside the run's transaction); returns counts, summed over batches."""
        raise NotImplementedError

    def warnings(self) -> list[str]:
        """Notes about the whole file, shown above the preview."""
        return []

    # Importers whose clean rows depend only on the file (not on the database beyond what
    # existing_keys and the constraints check again) may keep them from the preview: `packs`
    # True, `dump` a record to a JSON list and `load` it back.
    packs = False

    def dump(self, record) -> list | None:
        return None

    def load(self, row: list):
        raise NotImplementedError


def importer_class(kind: str) -> type[Importer]:
    return import_string(IMPORTERS[kind])


def importer_for(
    *, kind: str, ward: Area, user: User | None, options: dict | None = None
) -> Importer:
    return importer_class(kind)(ward=ward, user=user, options=options)


class PackedRecords:
    """Clean rows kept between the preview and the worker's run, compactly: JSON lines,
    compressed as they come (a 100,000-row list is a few MB instead of ~100 MB of Python
    objects), stored on the job as one string and read back lazily, row by row."""

    def __init__(self) -> None:
        self.count = 0
        self._compressor = zlib.compressobj(1)
        self._parts: list[bytes] = []

    def add(self, row: list) -> None:
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
        self._parts.append(self._compressor.compress(line.encode()))
        self.count += 1

    def stored(self) -> dict:
        data = b"".join([*self._parts, self._compressor.flush()])
        self._parts = []
        return {
            "format": PACKED,
            "count": self.count,
            "data": base64.b64encode(data).decode("ascii"),
        }

    @staticmethod
    def rows(stored: dict | list) -> Iterator[list]:
        if isinstance(stored, list):  # jobs previewed before rows were packed
            yield from stored
            return
        if stored.get("format") != PACKED:
            raise ValueError(f"unknown packed rows format {stored.get('format')!r}")
        data = base64.b64decode(stored["data"])
        decompressor = zlib.decompressobj()
        tail = b""
        step = 1 << 20
        for start in range(0, len(data), step):
            tail += decompressor.decompress(data[start : start + step])
            *lines, tail = tail.split(b"\n")
            for line in lines:
                yield json.loads(line)
        tail += decompressor.flush()
        for line in tail.split(b"\n"):
            if line:
                yield json.loads(line)


@dataclass
class Validation:
    total: int = 0
    valid: int = 0  # rows without errors (each key once)
    # (number, record) of the valid rows, for importers that do not pack them
    records: list = field(default_factory=list)
    packed: PackedRecords | None = None
    errors: list[RowError] = field(default_factory=list)
    existing_rows: list[int] = field(default_factory=list)
    existing: int = 0
    warnings: list[str] = field(default_factory=list)


def _blank(values: dict) -> bool:
    return all(text_of(value) == "" for value in values.values())


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def validate(
    *,
    importer: Importer,
    table: Table,
    progress: Callable[[int], None] | None = None,
    pack: bool = False,
) -> Validation:
    """Read every row once: clean it, find duplicates in the file, and (by batches) rows
    already in the database. Valid rows are packed (`pack` and the importer can) or kept."""
    importer.prepare()
    result = Validation(warnings=list(table.warnings))
    if pack and importer.packs:
        result.packed = PackedRecords()
    labels = {column.key: str(column.label) for column in importer.columns}
    seen: dict[Hashable, int] = {}
    pending: list[tuple[int, object, Hashable]] = []

    def check_pending() -> None:
        existing = importer.existing_keys([record for _number, record, _key in pending])
        for number, record, key in pending:
            if key in existing:
                result.existing_rows.append(number)
            if result.packed is not None:
                result.packed.add(importer.dump(record))
            else:
                result.records.append((number, record))
        pending.clear()

    for number, raw, formulas in table.rows:
        if not formulas and _blank(raw):
            continue
        result.total += 1
        row_errors: list[RowError] = []

        def error(key: str, message: str, number: int = number, errors=row_errors) -> None:
            errors.append(RowError(number, table.headers.get(key, labels.get(key, key)), message))

        for key in formulas:
            error(key, str(FORMULA_MESSAGE))
        values = {key: text_of(value) for key, value in raw.items()}
        record = importer.clean(number, values, error)
        if record is not None and not row_errors:
            key = importer.key(record)
            if key in seen:
                row_errors.append(
                    RowError(
                        number, "", _("Trùng với dòng %(row)d trong tệp.") % {"row": seen[key]}
                    )
                )
            else:
                seen[key] = number
                result.valid += 1
                pending.append((number, record, key))
                if len(pending) >= BATCH:
                    check_pending()
        result.errors.extend(row_errors)
        if progress and result.total % 500 == 0:
            progress(result.total)
    if pending:
        check_pending()
    result.existing = len(result.existing_rows)
    result.warnings += importer.warnings()
    if result.total == 0:
        raise FileRefused(_("Tệp có dòng tiêu đề nhưng không có dòng dữ liệu nào."))
    return result


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
        from .tasks import import_job_run_task

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
