"""Households reached, kept per campaign and area in the summary rows (CampaignAreaTally.
households_reached over CampaignHouseholdTally): every path a visit takes in or out of the
count moves it exactly, a campaign made or moved after the visits counts them, and the summary
always equals the count from the visits themselves (the path a campaign without its own rows
takes)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from campaigns.dispatch import local_dispatch
from campaigns.models import Campaign, CampaignAreaTally, CampaignHouseholdTally
from campaigns.selectors.coverage import coverage_by_unit
from campaigns.tallies import FOLD_QUEUED_KEY, tallies_apply, tallies_check_drift, tallies_fold
from core.activity import ActivityDelta, Indicator
from households.services import visit_edit, visit_review, visit_withdraw
from tests.households.factories import household_in, visit_data, visit_for

from .factories import campaign_for

pytestmark = pytest.mark.django_db


def _period(world) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=10), today + datetime.timedelta(days=10)


@pytest.fixture
def campaign(world):
    start, end = _period(world)
    return campaign_for(world.city, start=start, end=end)


def reached(campaign: Campaign, units) -> dict:
    return {unit.pk: cov.reached for unit, cov in _coverage(campaign, units)}


def _coverage(campaign, units):
    coverage = coverage_by_unit(campaign=campaign, units=list(units))
    return [(unit, coverage[unit.pk]) for unit in units]


def from_visits(campaign: Campaign, units) -> dict:
    """The same count from the visits: an unsaved campaign of the same period and scope has
    no rows of its own, so coverage reads the visits."""
    period = Campaign(start=campaign.start, end=campaign.end, scope=campaign.scope)
    return reached(period, units)


def test_each_way_in_and_out_of_the_count_moves_it_exactly(world, campaign):
    volunteer, ward_user = world.users["volunteer"], world.users["ward"]
    group_a, group_b = world.groups[0], world.groups[1]
    first, second, third = (household_in(group_a) for _ in range(3))
    fourth = household_in(group_b)
    units = [world.city, world.ward, group_a, group_b]

    visit_for(first, volunteer, install_guidance=1)
    visit_for(first, volunteer)  # the same household again: still one
    rejected = visit_for(second, volunteer)
    withdrawn = visit_for(third, volunteer)
    edited = visit_for(fourth, volunteer)
    assert reached(campaign, units)[world.ward.pk] == 4

    visit_review(visit=rejected, reviewer=ward_user, approve=False)
    visit_withdraw(visit=withdrawn, user=volunteer)
    visit_edit(visit=edited, editor=volunteer, data=visit_data(result="not_home"))
    expected = {world.city.pk: 1, world.ward.pk: 1, group_a.pk: 1, group_b.pk: 0}
    assert reached(campaign, units) == expected == from_visits(campaign, units)

    visit_review(visit=rejected, reviewer=ward_user, approve=True)  # counted again
    assert reached(campaign, units)[group_a.pk] == 2 == from_visits(campaign, units)[group_a.pk]
    assert tallies_check_drift().drift_count == 0


def test_a_household_met_in_two_units_counts_in_each_and_once_above(world, campaign):
    """Attributed as its visits are: a household whose visits fell in two groups (it moved)
    is reached in both, and once in the ward over them."""
    day = timezone.localdate()
    group_a, group_b = world.groups[0], world.groups[1]
    household = household_in(group_a)
    tallies_apply(
        deltas=[
            ActivityDelta(
                area_id=group.pk,
                day=day,
                counts={Indicator.HOUSEHOLDS_VISITED: 1},
                household_id=household.pk,
            )
            for group in (group_a, group_b)
        ]
    )
    assert reached(campaign, [world.ward, group_a, group_b]) == {
        world.ward.pk: 1,
        group_a.pk: 1,
        group_b.pk: 1,
    }


def test_a_campaign_made_or_moved_after_the_visits_counts_them(world):
    volunteer = world.users["volunteer"]
    for group in world.groups[:2]:
        visit_for(household_in(group), volunteer)
    visit_for(household_in(world.groups[0]), volunteer, result="not_home")
    start, end = _period(world)
    campaign = campaign_for(world.ward, start=start, end=end)
    units = [world.ward, *world.groups[:2]]
    assert reached(campaign, units) == {
        world.ward.pk: 2,
        world.groups[0].pk: 1,
        world.groups[1].pk: 1,
    }
    campaign.end = campaign.start = start - datetime.timedelta(days=1)  # before every visit
    campaign.save()
    assert reached(campaign, units)[world.ward.pk] == 0
    assert not CampaignHouseholdTally.objects.filter(campaign=campaign).exists()


def test_a_refill_while_visits_wait_in_the_journal_counts_each_once(world, settings):
    """Production's shape: a visit committed but not yet folded is in the visits AND the
    journal; the refill takes the journal back out, so its fold adds it once."""
    settings.TALLIES_FOLD_INLINE = False
    cache.delete(FOLD_QUEUED_KEY)
    local_dispatch.forget()
    volunteer = world.users["volunteer"]
    visit_for(household_in(world.groups[0]), volunteer)  # folded before the campaign
    tallies_fold()
    visit_for(household_in(world.groups[0]), volunteer)  # folded after
    rejected_later = visit_for(household_in(world.groups[1]), volunteer)
    tallies_fold()
    visit_review(visit=rejected_later, reviewer=world.users["ward"], approve=False)  # waits
    start, end = _period(world)
    campaign = campaign_for(world.city, start=start, end=end)
    tallies_fold()
    assert reached(campaign, [world.ward])[world.ward.pk] == 2
    assert reached(campaign, [world.ward]) == from_visits(campaign, [world.ward])
    assert tallies_check_drift().drift_count == 0
    cache.delete(FOLD_QUEUED_KEY)
    local_dispatch.forget()


def test_the_drift_check_sees_a_household_row_gone_wrong(world, campaign):
    visit_for(household_in(world.groups[0]), world.users["volunteer"])
    assert tallies_check_drift().drift_count == 0
    CampaignHouseholdTally.objects.filter(campaign=campaign).update(visits=0)
    CampaignAreaTally.objects.filter(campaign=campaign).update(households_reached=0)
    report = tallies_check_drift()
    assert report.drift_count > 0
    assert {sample["kind"] for sample in report.samples} >= {"campaign_household"}
