"""Imports and exports whose worker died are sent again within minutes.

A job claimed by a worker that is then killed (out of memory, a deploy, kill -9) stays
"running": the broker redelivers its unacknowledged message only when Redis' visibility
timeout expires, and that is set to hours, above the longest job, so that a slow job is never
run twice. Instead, every running job keeps a heartbeat (each progress write moves it, and so
does waiting for its ward's lock), and a beat task sends again each running job whose
heartbeat is older than STALLED_AFTER.

Sending a job that was only slow, not dead, costs nothing but time: an import's run checks,
under its ward's lock and before writing, that no later attempt has claimed the job (the
older run then stops and the newer one writes, rows already there are skipped), and an export
run keeps its file only while it is the job's latest attempt. Each job gives up after its
MAX_ATTEMPTS runs.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ExportJob, ImportJob, JobStatus

STALLED_AFTER = datetime.timedelta(minutes=5)
PER_SWEEP = 100


def _stalled(model, cutoff: datetime.datetime) -> list[int]:
    # Only jobs a worker has claimed: a queued one may simply wait behind busy workers, and
    # its message is still in the broker.
    quiet = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    return list(
        model.objects.filter(quiet, status=JobStatus.RUNNING)
        .order_by("pk")
        .values_list("pk", flat=True)[:PER_SWEEP]
    )


def jobs_requeue_stalled(*, older_than: datetime.timedelta = STALLED_AFTER) -> int:
    """Send again every import and export silent for `older_than`; return how many."""
    from .tasks import export_job_run_task, import_job_run_task

    now = timezone.now()
    sent = 0
    for model, task in ((ImportJob, import_job_run_task), (ExportJob, export_job_run_task)):
        for pk in _stalled(model, now - older_than):
            # Stamped first: the next sweep waits for a fresh silence before sending it again.
            model.objects.filter(pk=pk).update(heartbeat_at=now)
            transaction.on_commit(lambda pk=pk, task=task: task.delay(pk))
            sent += 1
    return sent
