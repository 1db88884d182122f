"""A job whose worker died is sent again by beat within minutes; a live one is left alone, and
a slow run that a later attempt overtook stops before writing."""

import datetime

import pytest
from django.utils import timezone

from core.jobs import runner
from core.jobs.runner import STALLED_AFTER, Attempt, jobs_requeue_stalled
from households.models import Household
from workspace.exports.jobs import export_job_create
from workspace.imports import jobs as import_jobs
from workspace.imports.jobs import IMPORT_JOBS, import_job_create, import_job_run
from workspace.models import ExportJob, ImportJob, JobStatus

from . import files

pytestmark = pytest.mark.django_db


def _import_job(world, rows: int = 3) -> ImportJob:
    return import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho.xlsx",
        content=files.households_xlsx(rows),
    )


def _silent_since(model, pk: int, ago: datetime.timedelta, **fields) -> None:
    model.objects.filter(pk=pk).update(heartbeat_at=timezone.now() - ago, **fields)


def test_an_import_whose_worker_died_is_run_again_and_lands_whole(
    world, django_capture_on_commit_callbacks
):
    job = _import_job(world)
    # What a SIGKILL leaves: claimed once, "running", silent, nothing written.
    _silent_since(ImportJob, job.pk, STALLED_AFTER * 2, status=JobStatus.RUNNING, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stalled() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert Household.objects.count() == 3


def test_a_job_with_a_recent_heartbeat_or_finished_is_left_alone(
    world, django_capture_on_commit_callbacks
):
    running = _import_job(world)
    _silent_since(ImportJob, running.pk, STALLED_AFTER / 2, status=JobStatus.RUNNING, attempts=1)
    finished = _import_job(world)
    _silent_since(ImportJob, finished.pk, STALLED_AFTER * 2, status=JobStatus.DONE, attempts=1)
    preview = _import_job(world)  # waiting for the coordinator to confirm: not ours to send
    _silent_since(ImportJob, preview.pk, STALLED_AFTER * 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stalled() == 0
    running.refresh_from_db()
    assert (running.status, running.attempts) == (JobStatus.RUNNING, 1)
    assert Household.objects.count() == 0


def test_a_job_sent_again_is_not_sent_again_by_the_next_sweep(world):
    job = _import_job(world)
    _silent_since(ImportJob, job.pk, STALLED_AFTER * 2, status=JobStatus.RUNNING, attempts=1)
    assert jobs_requeue_stalled() == 1  # on_commit never fires here: the job stays running
    assert jobs_requeue_stalled() == 0


def test_a_slow_run_overtaken_by_a_later_attempt_stops_before_writing(world, monkeypatch):
    job = _import_job(world)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    claim = runner.job_claim

    def claimed_then_overtaken(kind, job_id: int):
        mine = claim(kind, job_id)  # this run is attempt 1 ...
        ImportJob.objects.filter(pk=job_id).update(attempts=2)  # ... and beat sent attempt 2
        return mine

    monkeypatch.setattr(runner, "job_claim", claimed_then_overtaken)
    assert import_job_run(job_id=job.pk) is None
    assert Household.objects.count() == 0
    monkeypatch.setattr(runner, "job_claim", claim)
    import_job_run(job_id=job.pk)  # attempt 2's own delivery writes
    assert Household.objects.count() == 3


def test_an_export_whose_worker_died_is_written_and_one_that_keeps_dying_fails(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # its first run never happens
        job = export_job_create(
            kind="households", fmt="csv", ward=world.ward, user=world.users["ward"]
        )
    _silent_since(ExportJob, job.pk, STALLED_AFTER * 2, status=JobStatus.RUNNING, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stalled() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)

    dying = export_job_create(
        kind="households", fmt="csv", ward=world.ward, user=world.users["ward"]
    )
    _silent_since(ExportJob, dying.pk, STALLED_AFTER * 2, status=JobStatus.RUNNING, attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        jobs_requeue_stalled()
    dying.refresh_from_db()
    assert dying.status == JobStatus.FAILED
    assert "3 lần" in dying.error


def test_a_queued_job_waiting_behind_busy_workers_is_not_sent_again(world):
    job = _import_job(world)
    _silent_since(ImportJob, job.pk, STALLED_AFTER * 2, status=JobStatus.QUEUED)
    assert jobs_requeue_stalled() == 0  # its message is still in the broker


def test_an_import_waiting_for_its_wards_lock_keeps_its_heartbeat(world, monkeypatch):
    from django.db import OperationalError

    refusals = iter([True, True, False])

    class Busy:
        def select_for_update(self, nowait: bool):
            assert nowait
            return self

        def filter(self, **kwargs):
            return self

        def first(self):
            if next(refusals):
                raise OperationalError("could not obtain lock")

    job = _import_job(world)
    monkeypatch.setattr(import_jobs.Area, "objects", Busy())
    monkeypatch.setattr(import_jobs.time, "sleep", lambda seconds: None)
    beats = []
    progress = import_jobs.Progress(Attempt(kind=IMPORT_JOBS, job=job, number=1))
    monkeypatch.setattr(progress, "beat", lambda: beats.append(True))
    import_jobs._lock_ward(job, progress)
    assert len(beats) == 2  # one beat per refused try, then the lock


def test_an_export_overtaken_by_a_later_attempt_keeps_no_file_and_leaves_the_job(
    world, monkeypatch
):
    from workspace.exports import jobs as exports

    job = export_job_create(kind="households", fmt="csv", ward=world.ward, user=world.users["ward"])
    written = []
    real_write = exports.write_csv

    def write_then_overtaken(path, spec, progress):
        count = real_write(path, spec, progress)
        written.append(path)
        ExportJob.objects.filter(pk=job.pk).update(attempts=2)  # beat sent it again
        return count

    monkeypatch.setattr(exports, "write_csv", write_then_overtaken)
    assert exports.export_job_run(job_id=job.pk) is None
    (path,) = written
    assert not path.exists()  # the newer attempt's file is the one that will be kept
    job = ExportJob.objects.get(pk=job.pk)
    assert (job.status, job.attempts, job.path) == (JobStatus.RUNNING, 2, "")
