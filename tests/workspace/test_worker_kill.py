"""A worker killed with SIGKILL in the middle of an import leaves nothing half-written, and the
job, sent again by beat's sweep of silent jobs, starts clean and lands the file whole.

Runs only where CELERY_BROKER_URL is set (.ci/run's PostgreSQL pass). The test starts its own
workers on a private queue, so the CI worker never picks the task up.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from core.jobs.runner import jobs_requeue_stalled
from core.jobs.tasks import job_run_task
from households.models import Household
from workspace.imports.jobs import IMPORT_JOBS, import_job_create
from workspace.models import ImportJob, JobStatus

from . import files

pytestmark = pytest.mark.worker
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "kill-test"
ROWS = 20_000


def _worker() -> subprocess.Popen:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_CONN_MAX_AGE": "0"}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
    command += ["-Q", QUEUE, "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _no_other_session_in_a_transaction() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return cursor.fetchone()[0] == 0


def _job(pk: int) -> ImportJob:
    return ImportJob.objects.defer("content", "records").get(pk=pk)


def test_import_survives_a_worker_killed_mid_write(real_worker, world):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    job = import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho.xlsx",
        content=files.households_xlsx(ROWS),
    )
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    before = Household.objects.count()

    first = _worker()
    try:
        job_run_task.apply_async(args=[IMPORT_JOBS.label, job.pk], queue=QUEUE)
        writing = _wait(lambda: _job(job.pk).processed > _job(job.pk).total // 2, 90)
        assert writing, "the worker never started writing"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()

    # The killed worker's database sessions end once PostgreSQL notices; a COMMIT it had
    # already sent would still land, so read the job only when they are gone.
    assert _wait(_no_other_session_in_a_transaction, 15)
    killed = _job(job.pk)
    if killed.status == JobStatus.DONE:
        assert Household.objects.count() == before + ROWS  # whole, and exactly once
        pytest.skip("the kill landed after the import had committed: nothing to recover")
    assert killed.status == JobStatus.RUNNING
    assert killed.attempts == 1
    assert Household.objects.count() == before  # nothing of the killed run is visible

    # Beat's sweep finds the job silent (here at once rather than after five minutes) and sends
    # it again; the CI worker runs it from the start.
    assert jobs_requeue_stalled(older_than=datetime.timedelta(0)) == 1
    assert _wait(lambda: _job(job.pk).status in (JobStatus.DONE, JobStatus.FAILED), 120)
    done = _job(job.pk)
    assert done.status == JobStatus.DONE, done.result
    assert done.attempts == 2
    # Every row once: nothing lost with the killed run, nothing doubled by the rerun.
    assert Household.objects.count() == before + ROWS
