"""A campaign's own summary rows: totals per area over its period, per-volunteer rows, and the
distinct volunteers — moved by every delta, refilled when the campaign's period or scope moves,
and the only thing a dashboard reads besides one row per day of the trend."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import CampaignAreaTally, CampaignVolunteerTally
from campaigns.selectors import campaign_dashboard, unique_volunteers
from campaigns.tallies import stored_tallies, tallies_diff, tallies_from_deltas

from .factories import CURRENT_DAY, campaign_for, record

pytestmark = pytest.mark.django_db

NEXT_DAY = CURRENT_DAY + datetime.timedelta(days=1)


def campaign_row(campaign, area) -> CampaignAreaTally | None:
    return CampaignAreaTally.objects.filter(campaign=campaign, area=area).first()


def test_records_in_period_and_scope_move_the_campaign_rows_at_every_level(world):
    campaign = campaign_for(world.ward)
    volunteer = world.users["volunteer"]
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=2, install_guidance=1)
    record(world.groups[1], NEXT_DAY, volunteer, households_visited=1)
    for area in (world.groups[0], world.ward):
        assert campaign_row(campaign, area).install_guidance == 1, area
    row = campaign_row(campaign, world.ward)
    assert (row.households_visited, row.volunteer_participations, row.unique_volunteers) == (
        3,
        2,
        1,
    )
    # Above the campaign's scope there is nothing to show, so nothing is kept.
    assert campaign_row(campaign, world.city) is None
    person = CampaignVolunteerTally.objects.get(campaign=campaign, area=world.ward)
    assert (person.volunteer_id, person.active_days, person.households_visited) == (
        volunteer.pk,
        2,
        3,
    )


def test_records_outside_the_period_or_scope_leave_the_campaign_rows_alone(world):
    campaign = campaign_for(world.ward, end=CURRENT_DAY)
    record(world.groups[0], NEXT_DAY, world.users["volunteer"], households_visited=5)
    record(world.other_groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=7)
    assert not CampaignAreaTally.objects.filter(campaign=campaign).exists()
    assert not CampaignVolunteerTally.objects.filter(campaign=campaign).exists()


def test_unique_volunteers_count_each_person_once_and_drop_when_their_work_is_undone(world):
    campaign = campaign_for(world.city)
    volunteer, other = world.users["volunteer"], world.users["volunteer2"]
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=1)
    record(world.groups[1], NEXT_DAY, volunteer, households_visited=1)
    record(world.other_groups[0], CURRENT_DAY, other, dossiers_total=1)
    assert unique_volunteers(campaign=campaign, area=world.city) == 2
    assert unique_volunteers(campaign=campaign, area=world.ward) == 1
    assert campaign_row(campaign, world.city).volunteer_participations == 3
    # The other volunteer's only record is rejected: they leave every level.
    record(world.other_groups[0], CURRENT_DAY, other, dossiers_total=-1)
    assert unique_volunteers(campaign=campaign, area=world.city) == 1
    assert unique_volunteers(campaign=campaign, area=world.other_ward) == 0
    assert campaign_row(campaign, world.city).volunteer_participations == 2


def test_overlapping_campaigns_each_count_the_same_record(world):
    city = campaign_for(world.city, name="Thành phố")
    ward = campaign_for(world.ward, name="Phường")
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], level1_activations=3)
    assert campaign_row(city, world.ward).level1_activations == 3
    assert campaign_row(ward, world.ward).level1_activations == 3


def test_a_campaign_created_after_the_records_is_filled_from_the_day_tallies(world):
    volunteer = world.users["volunteer"]
    deltas = [
        record(world.groups[0], CURRENT_DAY, volunteer, households_visited=2),
        record(world.groups[1], NEXT_DAY, volunteer, install_guidance=1),
        record(world.groups[1], NEXT_DAY, world.users["volunteer2"], install_guidance=1),
        record(world.other_groups[0], CURRENT_DAY, None, awareness_posts=1),
    ]
    campaign = campaign_for(world.city)
    row = campaign_row(campaign, world.city)
    assert (row.households_visited, row.install_guidance, row.awareness_posts) == (2, 2, 1)
    assert (row.volunteer_participations, row.unique_volunteers) == (3, 2)
    assert tallies_diff(tallies_from_deltas(deltas), stored_tallies()) == []


def test_moving_the_period_refills_the_rows_and_renaming_does_not(world):
    campaign = campaign_for(world.ward)
    volunteer = world.users["volunteer"]
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=1)
    record(world.groups[0], NEXT_DAY, volunteer, households_visited=4)
    assert campaign_row(campaign, world.ward).households_visited == 5
    CampaignAreaTally.objects.filter(campaign=campaign).update(other_help=99)
    campaign.name = "Đổi tên"
    campaign.save()
    assert campaign_row(campaign, world.ward).other_help == 99  # untouched: no refill
    campaign.end = CURRENT_DAY
    campaign.save()
    row = campaign_row(campaign, world.ward)
    assert (row.households_visited, row.other_help, row.volunteer_participations) == (1, 0, 1)
    person = CampaignVolunteerTally.objects.get(campaign=campaign, area=world.ward)
    assert (person.active_days, person.households_visited) == (1, 1)


def test_moving_the_scope_refills_the_rows(world):
    campaign = campaign_for(world.ward)
    record(world.other_groups[0], CURRENT_DAY, world.users["volunteer2"], dossiers_eid=2)
    assert not CampaignAreaTally.objects.filter(campaign=campaign).exists()
    campaign.scope = world.other_ward
    campaign.save()
    assert campaign_row(campaign, world.other_ward).dossiers_eid == 2
    assert campaign_row(campaign, world.ward) is None


def test_every_change_moves_the_revision_that_versions_the_cached_dashboard(world):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, None, households_visited=1)
    first = campaign_row(campaign, world.city).revision
    record(world.groups[2], CURRENT_DAY, None, households_visited=1)
    assert campaign_row(campaign, world.city).revision == first + 1


def test_the_city_dashboard_never_reads_volunteer_days_and_reads_day_rows_only_for_the_trend(
    world,
):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=1)
    for area in (world.city, world.ward):
        with CaptureQueriesContext(connection) as queries:
            context = campaign_dashboard(user=world.users["city"], campaign=campaign, area=area)
        sql = [query["sql"].lower() for query in queries]
        assert not [q for q in sql if "campaigns_volunteerdaytally" in q], area
        assert len([q for q in sql if "campaigns_areadaytally" in q]) == 1, area
        assert context["unique_volunteers"] == 1


def test_an_unsaved_or_unsaved_changed_campaign_is_summed_from_the_day_tables(world):
    from campaigns.models import Campaign
    from campaigns.selectors import has_own_rows, totals_by_area

    volunteer = world.users["volunteer"]
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=1)
    record(world.groups[1], NEXT_DAY, world.users["volunteer2"], households_visited=2)
    saved = campaign_for(world.city)
    period = Campaign(name="Chỉ là một khoảng", start=NEXT_DAY, end=NEXT_DAY, scope=world.city)
    assert has_own_rows(saved)
    assert not has_own_rows(period)
    assert (
        totals_by_area(campaign=period, area_ids=[world.ward.pk])[world.ward.pk][
            "households_visited"
        ]
        == 2
    )
    assert unique_volunteers(campaign=period, area=world.ward) == 1
    saved.end = CURRENT_DAY  # changed in memory, not saved: its stored rows no longer apply
    assert not has_own_rows(saved)
    assert (
        totals_by_area(campaign=saved, area_ids=[world.ward.pk])[world.ward.pk][
            "households_visited"
        ]
        == 1
    )
