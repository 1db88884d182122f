"""The household registry joins the nightly checks: a DriftReport of kind `registry`, logged
like the tallies' check; it names the drifted groups and heals nothing (rebuild_registry does)."""

import logging

import pytest
from django.core.management import call_command

from campaigns.models import DriftKind, DriftReport
from campaigns.tasks import registry_check_drift, tallies_check_drift
from households.models import Household, HouseholdCount
from tests.households.factories import household_in

pytestmark = pytest.mark.django_db


def test_the_registry_check_reports_zero_while_every_door_keeps_the_counts(world, caplog):
    household_in(world.groups[0], members=3)
    household_in(world.groups[1], members=5)
    with caplog.at_level(logging.INFO, logger="campaigns.registry_drift"):
        assert registry_check_drift.delay().get() == 0
    report = DriftReport.objects.get()
    assert (report.kind, report.drift_count, report.area_rows) == (DriftKind.REGISTRY, 0, 2)
    assert report.samples == []
    assert "household registry matches the households (2 groups)" in caplog.text


def test_a_group_written_past_the_doors_is_reported_and_left_for_the_rebuild(world, caplog):
    household_in(world.groups[0], members=2)
    household_in(world.groups[1], members=4)
    Household.objects.filter(area=world.groups[0]).update(members=7)  # no signal: no recount

    with caplog.at_level(logging.INFO, logger="campaigns.registry_drift"):
        assert registry_check_drift.delay().get() == 1
    report = DriftReport.objects.get(kind=DriftKind.REGISTRY)
    assert report.samples == [
        {
            "kind": "registry",
            "key": [str(world.groups[0].pk)],
            "expected": {"households": 1, "members": 7},
            "stored": {"households": 1, "members": 2},
        }
    ]
    assert any(
        record.levelno == logging.ERROR and "1 groups differ" in record.getMessage()
        for record in caplog.records
    )
    # Like the tallies' check, it only reports: the kept count is as it was.
    assert HouseholdCount.objects.get(area=world.groups[0]).members == 2

    call_command("rebuild_registry", "--check")
    assert HouseholdCount.objects.get(area=world.groups[0]).members == 2
    call_command("rebuild_registry")
    assert HouseholdCount.objects.get(area=world.groups[0]).members == 7
    assert registry_check_drift.delay().get() == 0


def test_a_count_edited_by_hand_is_drift_too(world):
    household_in(world.groups[0])
    HouseholdCount.objects.filter(area=world.groups[0]).update(households=3)
    assert registry_check_drift.delay().get() == 1
    assert DriftReport.objects.get().samples[0]["stored"] == {"households": 3, "members": 4}


def test_each_check_keeps_its_own_report(world):
    household_in(world.groups[0])
    tallies_check_drift.delay().get()
    registry_check_drift.delay().get()
    assert sorted(DriftReport.objects.values_list("kind", flat=True)) == ["registry", "tallies"]


def test_the_registry_check_runs_nightly_beside_the_tallies_check(settings):
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "campaigns.tasks.tallies_check_drift" in schedule
    nightly = schedule["campaigns.tasks.registry_check_drift"]["schedule"]
    assert nightly.hour == {2}
