"""Retention: each period in TUNGNHA_RETENTION is enforced by one run (nightly, or by
`manage.py retention_apply`), which removes what is personal and never moves a total."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from config.celery_app import app as celery_app
from households.models import (
    ContactDoor,
    ContactView,
    Household,
    HouseholdChange,
    PrivacyRequest,
    PrivacyRequestKind,
    Visit,
    VisitEdit,
)
from trainings.models import SessionImport
from workspace.models import ImportJob, JobStatus
from workspace.retention import retention_apply

from ..households.factories import household_in, raw_visit
from .factories import import_job_in

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def ago(**delta: int) -> datetime.datetime:
    return NOW - datetime.timedelta(**delta)


def _contact(world, *, last_visit=None, created=None, **fields) -> Household:
    household = household_in(
        world.groups[0],
        contact_name="Nguyễn Thị Lan",
        contact_phone="0912345678",
        consent_at=ago(days=2000),
        consent_method="in_person",
        notes="Gọi trước khi đến",
        **fields,
    )
    Household.objects.filter(pk=household.pk).update(
        last_visit_at=last_visit, created_at=created or ago(days=2000)
    )
    return household


def _by_key(results) -> dict:
    return {result.key: result for result in results}


def test_contacts_of_a_household_not_visited_for_three_years_are_erased_and_counted(world):
    volunteer = world.users["volunteer"]
    quiet = _contact(world, last_visit=ago(days=365 * 3 + 5))
    raw_visit(quiet, volunteer, device_time=ago(days=365 * 3 + 5), install_guidance=2)
    never = _contact(world)  # added long ago, never visited
    recent = _contact(world, last_visit=ago(days=30))
    new = _contact(world, created=ago(days=10))
    HouseholdChange.objects.create(
        household=quiet, changed_by=volunteer, changes={"contact_name": ["", "Nguyễn Thị Lan"]}
    )
    before = (Household.objects.count(), Visit.objects.count(), _members(), _helped())

    results = _by_key(retention_apply(now=NOW))

    assert (results["contacts"].due, results["contacts"].removed) == (2, 2)
    for household in (quiet, never):
        household.refresh_from_db()
        assert (household.contact_name, household.contact_phone, household.notes) == ("", "", "")
        assert (household.consent_at, household.consent_method) == (None, "")
        assert household.street  # the address stays: the door-to-door work needs it
        assert "lan" not in household.search_key
    for household in (recent, new):
        household.refresh_from_db()
        assert household.contact_name == "Nguyễn Thị Lan"
    assert HouseholdChange.objects.get(household=quiet).changes == {"contact_name": ["—", "—"]}
    assert (Household.objects.count(), Visit.objects.count(), _members(), _helped()) == before
    recorded = PrivacyRequest.objects.filter(kind=PrivacyRequestKind.RETENTION)
    assert set(recorded.values_list("household_id", flat=True)) == {quiet.pk, never.pk}
    assert set(recorded.values_list("handled_by", flat=True)) == {None}


def _members() -> int:
    return Household.objects.aggregate(total=Sum("members"))["total"]


def _helped() -> int:
    return Visit.objects.aggregate(total=Sum("install_guidance"))["total"] or 0


def test_visit_notes_are_cleared_after_a_year_and_the_visit_still_counts(world):
    household = household_in(world.groups[0])
    volunteer = world.users["volunteer"]
    old = raw_visit(household, volunteer, device_time=ago(days=366), notes="Bà Lan", e_payment=1)
    fresh = raw_visit(household, volunteer, device_time=ago(days=300), notes="Ông Hùng")
    VisitEdit.objects.create(visit=old, changes={"notes": ["", "Bà Lan"], "result": ["a", "b"]})

    results = _by_key(retention_apply(now=NOW))

    assert results["visit_notes"].removed == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.notes, old.e_payment, old.status) == ("", 1, "ok")
    assert fresh.notes == "Ông Hùng"
    assert VisitEdit.objects.get().changes == {"notes": ["—", "—"], "result": ["a", "b"]}


def test_an_import_file_and_its_rows_go_thirty_days_after_the_job_ended(world):
    def job(status, **dates) -> ImportJob:
        made = import_job_in(world.ward, status=status)
        ImportJob.objects.filter(pk=made.pk).update(records={"rows": [1]}, **dates)
        return made

    done_long_ago = job(JobStatus.DONE, finished_at=ago(days=31))
    done_lately = job(JobStatus.DONE, finished_at=ago(days=29))
    abandoned_preview = job(JobStatus.PREVIEW, created_at=ago(days=31))
    still_running = job(JobStatus.RUNNING, created_at=ago(days=90))

    assert _by_key(retention_apply(now=NOW))["imports"].removed == 2

    def kept(made: ImportJob) -> bool:
        made.refresh_from_db()
        return bytes(made.content) != b"" or made.records is not None

    assert not kept(done_long_ago)
    assert not kept(abandoned_preview)
    assert abandoned_preview.status == JobStatus.FAILED  # it cannot be confirmed any more
    assert "hết thời hạn lưu" in abandoned_preview.error
    assert kept(done_lately)
    assert kept(still_running)
    assert ImportJob.objects.count() == 4  # the jobs stay: who, when, what was written


def test_a_big_upload_whose_check_never_ran_is_dropped_after_the_period_too(world):
    waiting = import_job_in(world.ward, status=JobStatus.QUEUED)
    ImportJob.objects.filter(pk=waiting.pk).update(
        checked=False, content=b"001088012345", created_at=ago(days=31)
    )
    fresh = import_job_in(world.ward, status=JobStatus.QUEUED)
    ImportJob.objects.filter(pk=fresh.pk).update(checked=False, content=b"x")
    retention_apply(now=NOW)
    waiting.refresh_from_db()
    fresh.refresh_from_db()
    assert bytes(waiting.content) == b""
    assert waiting.status == JobStatus.FAILED
    assert bytes(fresh.content) == b"x"


def test_a_training_import_file_is_deleted_thirty_days_after_the_job_ended(
    world, django_capture_on_commit_callbacks
):
    job = SessionImport.objects.create(
        file=ContentFile(b"ngay\n", name="lop.csv"),
        area=world.ward,
        original_name="lop.csv",
        status=JobStatus.DONE,
    )
    name, storage = job.file.name, job.file.storage
    SessionImport.objects.filter(pk=job.pk).update(finished_at=ago(days=45))

    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        assert _by_key(retention_apply(now=NOW))["session_imports"].removed == 1

    job.refresh_from_db()
    assert not job.file
    assert not storage.exists(name)


def test_the_contact_view_log_is_kept_two_years(world):
    household = household_in(world.groups[0])
    for days in (731, 700):
        view = ContactView.objects.create(household=household, door=ContactDoor.DETAIL)
        ContactView.objects.filter(pk=view.pk).update(viewed_at=ago(days=days))

    assert _by_key(retention_apply(now=NOW))["contact_views"].removed == 1
    assert ContactView.objects.get().viewed_at == ago(days=700)


def test_a_dry_run_reports_and_changes_nothing(world):
    quiet = _contact(world, last_visit=ago(days=365 * 4))
    raw_visit(quiet, world.users["volunteer"], device_time=ago(days=400), notes="Bà Lan")

    results = _by_key(retention_apply(now=NOW, dry_run=True))

    assert (results["contacts"].due, results["contacts"].removed) == (1, 0)
    assert (results["visit_notes"].due, results["visit_notes"].removed) == (1, 0)
    quiet.refresh_from_db()
    assert quiet.contact_name == "Nguyễn Thị Lan"
    assert Visit.objects.get().notes == "Bà Lan"
    assert not PrivacyRequest.objects.exists()


def test_a_second_run_finds_nothing_left(world):
    _contact(world, last_visit=ago(days=365 * 4))
    retention_apply(now=NOW)
    assert all(result.due == 0 for result in retention_apply(now=NOW))


def test_the_periods_come_from_settings(world, settings):
    settings.TUNGNHA_RETENTION = {"visit_notes_days": 30}
    raw_visit(
        household_in(world.groups[0]), world.users["volunteer"], device_time=ago(days=40), notes="x"
    )
    assert _by_key(retention_apply(now=NOW))["visit_notes"].removed == 1


def test_the_command_reports_per_rule(world):
    _contact(world, last_visit=ago(days=365 * 4))
    out = io.StringIO()
    call_command("retention_apply", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "contacts",
        "visit_notes",
        "imports",
        "session_imports",
        "contact_views",
    ]
    assert "sẽ xoá 1" in lines[0]
    assert Household.objects.exclude(contact_name="").count() == 1

    out = io.StringIO()
    call_command("retention_apply", stdout=out)
    assert "đã xoá 1" in out.getvalue().splitlines()[0]
    assert not Household.objects.exclude(contact_name="").exists()


def test_the_nightly_beat_entry_runs_the_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["workspace-retention-apply"]
    assert entry["task"] == "workspace.tasks.retention_apply_task"
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks


def test_the_task_applies_the_rules(world):
    from workspace.tasks import retention_apply_task

    _contact(world, last_visit=ago(days=365 * 4))
    assert retention_apply_task.delay().get()["contacts"] == 1
