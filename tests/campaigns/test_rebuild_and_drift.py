"""rebuild_tallies and the nightly drift check recompute from the registered raw sources."""

import pytest
from django.core.management import call_command

from campaigns.models import AreaDayTally, CampaignAreaTally, CampaignVolunteerTally, DriftReport
from campaigns.tasks import tallies_check_drift
from core.activity import ACTIVITY_SOURCES, ActivityDelta

from .factories import CURRENT_DAY, campaign_for, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def raw_source():
    """A stand-in recording app: its 'raw records' are a list of deltas."""
    rows: list[ActivityDelta] = []
    saved = dict(ACTIVITY_SOURCES)
    ACTIVITY_SOURCES.clear()
    ACTIVITY_SOURCES["fake"] = lambda: iter(rows)
    yield rows
    ACTIVITY_SOURCES.clear()
    ACTIVITY_SOURCES.update(saved)


def test_drift_check_reports_zero_when_tallies_follow_the_records(world, raw_source):
    raw_source.append(
        record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=2)
    )
    assert tallies_check_drift.delay().get() == 0
    assert DriftReport.objects.get().drift_count == 0


def test_drift_check_finds_a_tampered_tally_and_rebuild_repairs_it(world, raw_source):
    raw_source.append(
        record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=2)
    )
    AreaDayTally.objects.filter(area=world.ward).update(households_visited=99)
    assert tallies_check_drift.delay().get() == 1
    report = DriftReport.objects.get()
    assert report.samples[0]["stored"]["households_visited"] == 99

    call_command("rebuild_tallies")
    assert AreaDayTally.objects.get(area=world.ward, day=CURRENT_DAY).households_visited == 2
    assert AreaDayTally.objects.get(area=world.ward, day=CURRENT_DAY).volunteer_participations == 1
    call_command("rebuild_tallies", "--check")
    assert DriftReport.objects.first().drift_count == 0


def test_drift_check_covers_the_campaign_rows_and_rebuild_repairs_them(world, raw_source):
    campaign = campaign_for(world.city)
    volunteer = world.users["volunteer"]
    raw_source.append(record(world.groups[0], CURRENT_DAY, volunteer, households_visited=2))
    assert tallies_check_drift.delay().get() == 0
    CampaignAreaTally.objects.filter(campaign=campaign, area=world.ward).update(unique_volunteers=5)
    CampaignVolunteerTally.objects.filter(campaign=campaign, area=world.city).update(active_days=3)
    assert tallies_check_drift.delay().get() == 2
    kinds = {sample["kind"] for sample in DriftReport.objects.first().samples}
    assert kinds == {"campaign_area", "campaign_volunteer"}

    call_command("rebuild_tallies")
    row = CampaignAreaTally.objects.get(campaign=campaign, area=world.ward)
    assert (row.unique_volunteers, row.households_visited) == (1, 2)
    assert CampaignVolunteerTally.objects.get(campaign=campaign, area=world.city).active_days == 1
    call_command("rebuild_tallies", "--check")
    assert DriftReport.objects.first().drift_count == 0


def test_nightly_drift_check_is_scheduled(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "campaigns.tasks.tallies_check_drift" in entries
