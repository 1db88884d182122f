"""The one job runner (core.jobs): a job is claimed once per attempt, gives up after three,
keeps its heartbeat through its progress, is sent again by the sweep whatever its kind, and a
run that a later attempt overtook writes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.models import Campaign, CampaignRecount, ReportJob
from core.jobs import runner
from core.jobs.models import JobStatus
from core.jobs.runner import (
    MAX_ATTEMPTS,
    STALLED_AFTER,
    JobKind,
    job_claim,
    job_kind,
    job_kinds,
    job_run,
    jobs_requeue_stalled,
)
from households.models import Household
from tests.campaigns.factories import campaign_for
from tests.workspace import files
from trainings.models import SessionImport, TrainingSession
from workspace.exports.jobs import export_job_create
from workspace.imports.jobs import import_job_create
from workspace.models import ExportJob, ImportJob

pytestmark = pytest.mark.django_db

KINDS = {
    "workspace.importjob",
    "workspace.exportjob",
    "campaigns.reportjob",
    "trainings.sessionimport",
    "campaigns.campaignrecount",
}
SESSIONS_CSV = "ngay,gio_bat_dau,ma_dia_ban,chu_de,so_nguoi\n18/03/2023,08:00,{group},internet,25\n"


def _report(world, **fields) -> ReportJob:
    return ReportJob.objects.create(
        campaign=campaign_for(world.legacy_city),
        area=world.legacy_city,
        created_by=world.users["city"],
        **fields,
    )


def _recount(world, **fields) -> CampaignRecount:
    campaign = campaign_for(world.city)
    recount = CampaignRecount.objects.create(
        campaign=campaign, created_by=world.users["city"], **fields
    )
    Campaign.objects.filter(pk=campaign.pk).update(latest_recount=recount)
    return recount


def _session_import(world, **fields) -> SessionImport:
    text = SESSIONS_CSV.format(group=world.groups[0].code)
    return SessionImport.objects.create(
        file=SimpleUploadedFile("lop.csv", text.encode()),
        area=world.ward,
        original_name="lop.csv",
        created_by=world.users["ward"],
        **fields,
    )


def _one_of_each_kind(world, django_capture_on_commit_callbacks) -> list:
    with django_capture_on_commit_callbacks(execute=False):  # no first run: they "died"
        exported = export_job_create(
            kind="households", fmt="csv", ward=world.ward, user=world.users["ward"]
        )
    imported = import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho.xlsx",
        content=files.households_xlsx(3),
    )
    return [imported, exported, _report(world), _session_import(world), _recount(world)]


def _silent_since(job, ago: datetime.timedelta, **fields) -> None:
    type(job).objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - ago, **fields)


def test_every_job_kind_is_registered_from_its_app():
    assert {kind.label for kind in job_kinds()} == KINDS


def test_a_job_is_claimed_once_per_attempt_and_a_finished_one_not_at_all(world):
    job = _report(world)
    first = job_claim(job_kind("campaigns.reportjob"), job.pk)
    assert (first.number, first.job.status) == (1, JobStatus.RUNNING)
    # A second delivery overtakes the first (which then cannot write): attempts only grow.
    second = job_claim(job_kind("campaigns.reportjob"), job.pk)
    assert second.number == 2
    assert not first.still_mine()
    assert second.finish()
    assert job_claim(job_kind("campaigns.reportjob"), job.pk) is None
    assert ReportJob.objects.get(pk=job.pk).attempts == 2


def test_two_runs_reading_the_same_attempt_cannot_both_claim_it(world, monkeypatch):
    job = _report(world)

    def claimed_by_another_in_between(read: ReportJob) -> dict:
        # What a second worker does between this run's read and its update.
        ReportJob.objects.filter(pk=read.pk).update(attempts=read.attempts + 1)
        return {}

    kind = JobKind(
        model=ReportJob, run=lambda attempt: None, on_claim=claimed_by_another_in_between
    )
    assert job_claim(kind, job.pk) is None
    assert ReportJob.objects.get(pk=job.pk).attempts == 1  # only the other run's claim


def test_a_job_that_keeps_killing_its_worker_fails_after_three_attempts(world):
    job = _report(world)
    for number in range(1, MAX_ATTEMPTS + 1):  # each claimed, then its worker died
        assert job_claim(job_kind("campaigns.reportjob"), job.pk).number == number
    assert job_run(kind="campaigns.reportjob", job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, MAX_ATTEMPTS)
    assert "3 lần" in job.error
    assert job.finished_at is not None


def test_a_run_that_raises_fails_the_job_with_its_kinds_message(world, monkeypatch):
    import campaigns.report

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(campaigns.report, "report_data", broken)
    job = _report(world)
    with pytest.raises(RuntimeError):
        job_run(kind="campaigns.reportjob", job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Lỗi khi lập báo cáo; hãy thử lại."  # the trace stays in the logs


def test_the_sweep_sends_again_a_silent_running_job_of_every_kind(
    world, django_capture_on_commit_callbacks
):
    jobs = _one_of_each_kind(world, django_capture_on_commit_callbacks)
    for job in jobs:  # what a SIGKILL leaves: claimed once, "running", silent
        _silent_since(job, STALLED_AFTER * 2, status=JobStatus.RUNNING, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stalled() == len(KINDS)
    for job in jobs:
        job.refresh_from_db()
        assert (job._meta.label_lower, job.status, job.attempts) == (
            job._meta.label_lower,
            JobStatus.DONE,
            2,
        )
    assert Household.objects.count() == 3
    assert TrainingSession.objects.count() == 1
    assert ExportJob.objects.get().path
    assert ReportJob.objects.get().content


def test_the_sweep_leaves_live_queued_and_finished_jobs_of_every_kind(
    world, django_capture_on_commit_callbacks
):
    jobs = _one_of_each_kind(world, django_capture_on_commit_callbacks)
    live, queued, done, *_ = jobs
    _silent_since(live, STALLED_AFTER / 2, status=JobStatus.RUNNING, attempts=1)
    _silent_since(queued, STALLED_AFTER * 2, status=JobStatus.QUEUED)  # still in the broker
    _silent_since(done, STALLED_AFTER * 2, status=JobStatus.DONE, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_stalled() == 0


def test_progress_moves_the_heartbeat_and_beat_moves_only_the_heartbeat(world, monkeypatch):
    job = _report(world)
    attempt = job_claim(job_kind("campaigns.reportjob"), job.pk)
    long_ago = timezone.now() - STALLED_AFTER * 2
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    attempt.progress(3, total=10)
    job.refresh_from_db()
    assert (job.processed, job.total, job.percent) == (3, 10, 30)
    assert job.heartbeat_at > long_ago
    attempt.progress(4)  # within PROGRESS_EVERY_S of the last write: not written
    assert ReportJob.objects.get(pk=job.pk).processed == 3
    monkeypatch.setattr(runner, "PROGRESS_EVERY_S", 0)
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    attempt.beat()
    job.refresh_from_db()
    assert (job.processed, job.heartbeat_at > long_ago) == (3, True)


def test_an_overtaken_run_writes_neither_progress_nor_outcome(world, monkeypatch):
    job = _report(world)
    seen = {}

    def overtaken_midway(attempt) -> None:
        attempt.progress(1, total=4)
        ReportJob.objects.filter(pk=job.pk).update(attempts=2)  # beat sent it again
        monkeypatch.setattr(runner, "PROGRESS_EVERY_S", 0)
        attempt.progress(3)
        attempt.beat()
        seen["finished"] = attempt.finish(content=b"stale")

    label = "campaigns.reportjob"
    monkeypatch.setitem(runner._KINDS, label, JobKind(model=ReportJob, run=overtaken_midway))
    assert job_run(kind=label, job_id=job.pk) is None
    job.refresh_from_db()
    assert seen["finished"] is False
    assert (job.status, job.attempts, job.processed, job.content) == (
        JobStatus.RUNNING,
        2,
        1,
        None,
    )


def test_an_overtaken_training_import_rolls_its_sessions_back(world, monkeypatch):
    from trainings.services import imports

    write = imports._write

    def written_then_overtaken(job, plans):
        created = write(job, plans)
        SessionImport.objects.filter(pk=job.pk).update(attempts=2)
        return created

    monkeypatch.setattr(imports, "_write", written_then_overtaken)
    job = _session_import(world)
    assert job_run(kind="trainings.sessionimport", job_id=job.pk) is None
    assert not TrainingSession.objects.exists()
    assert SessionImport.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_dispatch_runs_the_job_once_the_transaction_commits(
    world, django_capture_on_commit_callbacks
):
    job = _report(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        runner.job_dispatch(job)
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED  # not before the commit
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.processed) == (JobStatus.DONE, 1, job.total)
    assert job.started_at <= job.finished_at


def test_an_import_whose_file_is_refused_at_run_fails_with_the_readers_message(world):
    job = import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho.xlsx",
        content=files.households_xlsx(3),
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, records=None, content=b"not a workbook"
    )
    job_run(kind="workspace.importjob", job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error
