"""An import through a real Celery worker on Redis, watched through the job row.

Runs only where CELERY_BROKER_URL is set and a worker is running against the test database
(.ci/run starts one against the test database).
"""

import time

import pytest

from households.models import Household
from workspace.imports.jobs import import_job_confirm, import_job_create
from workspace.models import ImportJob, JobStatus

from . import files

pytestmark = pytest.mark.worker


def test_household_import_runs_in_the_worker_with_progress(real_worker, world):
    job = import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho.xlsx",
        content=files.households_xlsx(20000),
    )
    assert job.status == JobStatus.PREVIEW
    assert import_job_confirm(job=job)
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        row = ImportJob.objects.defer("content").get(pk=job.pk)
        seen.add((row.status, 0 < row.percent < 100))
        if row.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.INVALID):
            break
        time.sleep(0.1)
    assert row.status == JobStatus.DONE, row.result
    assert Household.objects.filter(area=world.groups[0]).count() == 20000
    # The coordinator's progress bar moved while the worker ran (written from a side connection).
    assert (JobStatus.RUNNING, True) in seen
    assert row.attempts == 1
