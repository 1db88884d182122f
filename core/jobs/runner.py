"""The one runner of long jobs: claim as the next attempt, run, keep the heartbeat, finish once.

Apps register their kinds (a model built on core.jobs.models.Job and a run function) from
their AppConfig.ready(): core imports no app. One Celery task (core.jobs.tasks) runs any kind
by (label, id); it acknowledges late and is rejected when its worker is lost, so a killed run
is delivered again, and the stalled-job sweep here sends again a running job whose heartbeat
went quiet (Redis' visibility timeout is hours, above the longest job, so that a slow job is
never handed out twice by the broker itself).

Running a job twice costs only time. Each run claims the job as its next attempt with a
conditional update (two runs cannot both claim the same attempt); every write of a run is
filtered on its attempt, so a run that a later attempt overtook (sent again while it was only
slow) writes nothing, and a kind that writes in one transaction finishes inside it (an
overtaken run rolls its rows back). A job gives up after MAX_ATTEMPTS claims.
"""

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ACTIVE, Job, JobStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALLED_AFTER = datetime.timedelta(minutes=5)
PER_SWEEP = 100
# Progress is written at most this often: the page polls every second, the database is shared.
PROGRESS_EVERY_S = 0.5
# core.jobs.tasks registers it under this name; dispatch finds it in Celery's registry, so this
# module never imports the task module that imports it.
JOB_RUN_TASK = "core.jobs.tasks.job_run_task"
DEFAULT_FAILURE = gettext_lazy("Lỗi hệ thống; công việc chưa hoàn tất.")


class Overtaken(Exception):
    """A later attempt claimed the job: this run stops, and rolls back what it wrote."""


@dataclass(frozen=True)
class JobKind:
    """What the runner needs to know of one kind of job."""

    model: type[Job]
    # Does the work; may call attempt.finish(...) itself to store its result (inside its own
    # transaction, for a kind that writes all or nothing). Raising fails the job.
    run: Callable[["Attempt"], None]
    # Shown to the person when `run` raises (the trace goes to the logs, not to the page).
    failure: str | Promise = DEFAULT_FAILURE
    # Extra fields set by the claim, e.g. where the progress bar starts.
    on_claim: Callable[[Job], dict[str, Any]] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_KINDS: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> None:
    """Called from an AppConfig.ready(); registering the same model again replaces it."""
    _KINDS[kind.label] = kind


def job_kinds() -> list[JobKind]:
    return list(_KINDS.values())


def job_kind(label: str) -> JobKind:
    return _KINDS[label]


def job_dispatch(job: Job) -> None:
    """Send the job to a worker once the transaction that queued it commits."""
    _send(job_kind(job._meta.label_lower), job.pk)


def _send(kind: "JobKind", pk: int) -> None:
    from celery import current_app

    # Looked up by name: the task module imports this one, not the other way round.
    task = current_app.tasks[JOB_RUN_TASK]
    transaction.on_commit(lambda: task.delay(kind.label, pk))


@dataclass
class Attempt:
    """One claimed run of a job: its writes only land while it is the job's latest attempt."""

    kind: JobKind
    job: Job
    number: int
    finished: bool = False
    _last: float = 0.0
    _side: Any = field(default=None, repr=False)
    # The transactions already open when the run began (none in a worker; the test's own in
    # the test suite): only one the run opens itself hides its writes from other connections.
    _depth: int = field(default_factory=lambda: len(connection.atomic_blocks))

    def mine(self) -> QuerySet:
        return self.kind.model.objects.filter(
            pk=self.job.pk, status=JobStatus.RUNNING, attempts=self.number
        )

    def still_mine(self) -> bool:
        """Whether no later attempt has claimed the job (check it before writing)."""
        return self.mine().exists()

    def progress(self, done: int, total: int | None = None) -> None:
        """Move the bar (and so the heartbeat). Throttled: call it as often as convenient."""
        now = time.monotonic()
        if total is None and now - self._last < PROGRESS_EVERY_S:
            return  # a new total is always written: the bar's scale and the final count use it
        self._last = now
        fields: dict[str, int] = {"processed": done}
        if total is not None:
            fields["total"] = self.job.total = total
        self.job.processed = done
        self._write(fields)

    def beat(self) -> None:
        """Only say the job is alive (e.g. while it waits for a lock): the bar stays put."""
        self._write({})

    def finish(self, status: str = JobStatus.DONE, **fields: Any) -> bool:
        """Store the outcome if this is still the latest attempt; False when overtaken."""
        fields = {"finished_at": timezone.now(), **fields}
        if status == JobStatus.DONE:  # a finished job's bar is full
            fields.setdefault("processed", fields.get("total", self.job.total))
        written = self.mine().update(status=status, **fields)
        if written:
            self.finished = True
            self.job.status = status
            for name, value in fields.items():
                setattr(self.job, name, value)
        return bool(written)

    def _write(self, fields: dict[str, Any]) -> None:
        # Inside a run's transaction on PostgreSQL, a second, autocommitting connection writes,
        # so the page (and the sweep) see the bar move before the commit; updating the row on
        # the main connection there would also lock it until the end. Elsewhere (SQLite allows
        # one writer) the main connection writes, visibly once outside the run's transaction.
        inside_run = len(connection.atomic_blocks) > self._depth
        if inside_run and connection.vendor == "postgresql":
            self._write_aside(fields)
        else:
            self.mine().update(heartbeat_at=timezone.now(), **fields)

    def _write_aside(self, fields: dict[str, Any]) -> None:
        if self._side is None:
            self._side = connection.get_new_connection(connection.get_connection_params())
            self._side.autocommit = True
        table = self.kind.model._meta.db_table
        assignments = "".join(f", {name} = %s" for name in fields)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET heartbeat_at = now(){assignments} "  # noqa: S608
                "WHERE id = %s AND status = %s AND attempts = %s",
                [*fields.values(), self.job.pk, JobStatus.RUNNING, self.number],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def job_claim(kind: JobKind, job_id: int) -> Attempt | None:
    """Claim the job as its next attempt, or None: finished, given up, or claimed by another."""
    model = kind.model
    now = timezone.now()
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in ACTIVE:
            return None  # done, failed, or never confirmed: nothing to do
        # The conditional updates below hold on SQLite too, where select_for_update is a no-op.
        same = model.objects.filter(pk=job.pk, attempts=job.attempts, status__in=ACTIVE)
        if job.attempts >= MAX_ATTEMPTS:  # it killed its worker each time: stop sending it
            same.update(
                status=JobStatus.FAILED,
                error=_("Đã thử %(n)d lần không thành công.") % {"n": MAX_ATTEMPTS},
                finished_at=now,
            )
            return None
        fields = {
            "status": JobStatus.RUNNING,
            "attempts": job.attempts + 1,
            "started_at": now,
            "heartbeat_at": now,
            "processed": 0,
            **(kind.on_claim(job) if kind.on_claim else {}),
        }
        if not same.update(**fields):
            return None
        for name, value in fields.items():
            setattr(job, name, value)
    return Attempt(kind=kind, job=job, number=job.attempts)


def job_run(*, kind: str, job_id: int) -> Job | None:
    """Run one attempt of the job. Returns the job as this run left it, or None when there was
    nothing to run or a later attempt overtook this one."""
    registered = job_kind(kind)
    attempt = job_claim(registered, job_id)
    if attempt is None:
        return None
    try:
        registered.run(attempt)
        if not attempt.finished and not attempt.finish():
            return None
    except Overtaken:
        return None
    except Exception:
        attempt.finish(JobStatus.FAILED, error=str(registered.failure))
        raise
    finally:
        attempt.close()
    return attempt.job


def _stalled(model: type[Job], cutoff: datetime.datetime) -> list[int]:
    # Only jobs a worker has claimed: a queued one may simply wait behind busy workers, and
    # its message is still in the broker.
    quiet = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    return list(
        model.objects.filter(quiet, status=JobStatus.RUNNING)
        .order_by("pk")
        .values_list("pk", flat=True)[:PER_SWEEP]
    )


def jobs_requeue_stalled(*, older_than: datetime.timedelta = STALLED_AFTER) -> int:
    """Send again every running job of every kind silent for `older_than`; return how many."""
    now = timezone.now()
    sent = 0
    for kind in job_kinds():
        for pk in _stalled(kind.model, now - older_than):
            # Stamped first: the next sweep waits for a fresh silence before sending it again.
            kind.model.objects.filter(pk=pk).update(heartbeat_at=now)
            _send(kind, pk)
            sent += 1
    if sent:
        logger.warning("jobs sent again after a silent worker: %d", sent)
    return sent
