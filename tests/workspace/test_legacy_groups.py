"""Era-correct attribution of today's work in pre-2025 residential groups, and carrying such
groups over to today's ward in one step."""

import datetime
import random
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from areas.models import Area, AreaSuccession, Era, Level
from areas.selectors import area_as_of, area_attribution
from campaigns.models import AreaDayTally, CampaignAreaTally
from campaigns.tallies import raw_deltas, stored_tallies, tallies_diff, tallies_from_deltas
from households import demo_city
from households.models import Household, HouseholdChange, Visit, VisitEdit
from households.registry.selectors import registry_drift
from households.selectors import household_in_reach
from households.services import visit_record
from tests.campaigns.factories import campaign_for
from tests.factories import group_in, member
from tests.households.factories import household_in, visit_data, visit_for
from volunteers.models import Membership, Role
from workspace.legacy_groups import legacy_groups_carry_over, legacy_groups_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_group(world):
    """A pre-2025 group of the demo's old ward, never carried over (no successor of its own).
    The old ward is made to pass whole to today's Định Công (tests of a split say so)."""
    links = AreaSuccession.objects.filter(predecessor=world.legacy_ward)
    links.exclude(successor=world.ward).delete()
    links.update(is_partial=False)
    return group_in(world.legacy_ward, "Tổ dân phố 17 cũ")


def _split(world) -> None:
    """The old ward is split: part of it went to another new ward."""
    AreaSuccession.objects.filter(predecessor=world.legacy_ward).update(is_partial=True)
    AreaSuccession.objects.get_or_create(
        predecessor=world.legacy_ward, successor=world.other_ward, defaults={"is_partial": True}
    )


@pytest.fixture
def current_campaign(world):
    today = timezone.localdate()
    return campaign_for(
        world.city, start=today - datetime.timedelta(days=3), end=today + datetime.timedelta(20)
    )


def _campaign_total(campaign, area, key="households_visited") -> int:
    row = CampaignAreaTally.objects.filter(campaign=campaign, area=area).first()
    return getattr(row, key) if row else 0


def _no_drift() -> bool:
    return tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []


# --- Attribution (areas) -----------------------------------------------------------------------
def test_a_pre_2025_group_without_a_successor_counts_today_in_the_old_wards_successor(
    world, old_group
):
    today = timezone.localdate()
    attribution = area_attribution(area=old_group, day=today)
    assert attribution.area == world.ward
    assert attribution.area.era == Era.CURRENT
    assert attribution.approximate is False  # taken over whole (the fixture)
    # Its own era still counts it in itself.
    assert area_as_of(area=old_group, day=datetime.date(2023, 3, 10)) == old_group


def test_attribution_through_a_split_ward_is_marked_approximate(world):
    link = (
        AreaSuccession.objects.filter(
            is_partial=True,
            predecessor__era=Era.LEGACY,
            predecessor__level=Level.WARD,
            predecessor__path__startswith=world.legacy_city.path,
        )
        .select_related("predecessor")
        .order_by("predecessor__path", "successor__path")
        .first()
    )
    if link is None:  # the loaded tree has no split ward: make one
        link = AreaSuccession.objects.get(predecessor=world.legacy_ward, successor=world.ward)
        link.is_partial = True
        link.save()
    group = group_in(link.predecessor, "Tổ dân phố chia đôi")
    attribution = area_attribution(area=group, day=timezone.localdate())
    assert attribution.approximate is True
    assert attribution.area.era == Era.CURRENT


def test_only_work_after_a_group_stopped_moves_across_the_reform(world):
    """A current group without a predecessor, on a 2023 day, stays itself (as before): records
    already counted keep their attribution, and the recompute agrees with the stored tallies."""
    new_group = group_in(world.ward, "Tổ dân phố mới lập")
    day = datetime.date(2023, 3, 10)
    assert area_attribution(area=new_group, day=day).area == new_group


def test_a_group_that_was_carried_over_counts_in_its_own_successor(world):
    today = timezone.localdate()
    assert area_attribution(area=world.legacy_groups[0], day=today).area == world.groups[0]


# --- The fault run: the city demo's volunteers visiting today -----------------------------------
def test_visits_by_the_demos_volunteers_land_in_todays_campaign_not_only_in_legacy_tallies(
    world, current_campaign
):
    """Reproduces the fault run: the city demo seeds volunteers and households in groups of the
    old tree (none carried over); their visits today counted only in the legacy tallies."""
    old_ward = (
        Area.objects.filter(
            era=Era.LEGACY, level=Level.WARD, path__startswith=world.legacy_district.path
        )
        .exclude(pk=world.legacy_ward.pk)
        .filter(successions__isnull=False)
        .order_by("path")
        .first()
    )
    successor = area_as_of(area=old_ward, day=timezone.localdate())
    assert successor.era == Era.CURRENT
    groups = demo_city._groups(old_ward)
    people = demo_city._team(old_ward, groups, 3, "x", random.Random(1))
    visits = 0
    for person in people[1:]:
        group = Membership.objects.get(user=person, role=Role.VOLUNTEER).area
        for _number in range(2):
            visit_record(
                volunteer=person,
                household=household_in(group),
                client_id=uuid.uuid4(),
                data=visit_data(install_guidance=1),
            )
            visits += 1
    today = timezone.localdate()
    assert _campaign_total(current_campaign, world.city) == visits
    assert _campaign_total(current_campaign, successor, "install_guidance") == visits
    assert not AreaDayTally.objects.filter(area=world.legacy_city, day=today).exists()
    assert set(Visit.objects.filter(volunteer__in=people).values_list("area", flat=True)) == {
        successor.pk
    }
    assert _no_drift()


# --- What the coordinator is offered ------------------------------------------------------------
def test_the_ward_lists_its_old_groups_that_still_hold_households(world, old_group):
    household_in(old_group)
    household_in(old_group)
    group_in(world.legacy_ward, "Tổ dân phố trống")  # no households: nothing to move
    listed = legacy_groups_for(ward=world.ward)
    assert [(item.group, item.households, item.approximate) for item in listed] == [
        (old_group, 2, False)
    ]
    assert legacy_groups_for(ward=world.other_ward) == []


def test_carry_over_moves_households_roles_and_todays_visits_in_one_step(
    world, old_group, current_campaign
):
    volunteer = member(old_group, Role.VOLUNTEER)
    household = household_in(old_group)
    visit = visit_for(household, volunteer, install_guidance=2)
    assert visit.area == world.ward  # counted, at the ward, before the move
    old_visit = visit_for(
        household_in(old_group), volunteer, device_time=timezone.now() - datetime.timedelta(1)
    )
    done = legacy_groups_carry_over(
        ward=world.ward, group_ids=[old_group.pk], by=world.users["ward"]
    )
    assert (done.groups, done.households, done.visits) == (1, 2, 2)
    household.refresh_from_db()
    new_group = household.area
    assert new_group.era == Era.CURRENT
    assert new_group.path.startswith(world.ward.path)
    assert new_group.name == old_group.name
    assert AreaSuccession.objects.filter(predecessor=old_group, successor=new_group).exists()
    visit.refresh_from_db()
    old_visit.refresh_from_db()
    assert visit.area == new_group == old_visit.area
    assert VisitEdit.objects.filter(visit=visit, changes__area=[world.ward.pk, new_group.pk])
    assert HouseholdChange.objects.filter(household=household, changed_by=world.users["ward"])
    # The volunteer's role followed the group: the household is still theirs.
    assert Membership.objects.filter(user=volunteer, area=new_group).exists()
    assert household_in_reach(
        user=type(volunteer).objects.get(pk=volunteer.pk), household=household
    )
    assert _campaign_total(current_campaign, world.ward, "install_guidance") == 2
    assert _campaign_total(current_campaign, new_group, "install_guidance") == 2
    assert _no_drift()
    assert registry_drift() == []  # both groups recounted
    # Nothing left to offer.
    assert legacy_groups_for(ward=world.ward) == []


def test_carry_over_refuses_a_group_not_offered_and_changes_nothing(world, old_group):
    household = household_in(old_group)
    with pytest.raises(ValidationError):
        legacy_groups_carry_over(
            ward=world.ward, group_ids=[world.groups[0].pk], by=world.users["ward"]
        )
    with pytest.raises(ValidationError):
        legacy_groups_carry_over(ward=world.ward, group_ids=[], by=world.users["ward"])
    household.refresh_from_db()
    assert household.area == old_group


def test_a_split_old_ward_needs_authority_at_the_old_group_too(world, old_group):
    _split(world)
    household = household_in(old_group)
    only_today = member(world.ward, Role.WARD_COORDINATOR)
    [item] = legacy_groups_for(ward=world.ward)
    assert item.approximate is True
    with pytest.raises(PermissionDenied):
        legacy_groups_carry_over(ward=world.ward, group_ids=[old_group.pk], by=only_today)
    household.refresh_from_db()
    assert household.area == old_group
    # The coordinator who holds both wards may.
    legacy_groups_carry_over(ward=world.ward, group_ids=[old_group.pk], by=world.users["ward"])
    household.refresh_from_db()
    assert household.area.era == Era.CURRENT


def test_a_whole_takeover_lets_todays_coordinator_move_the_group(world, old_group):
    household = household_in(old_group)
    only_today = member(world.ward, Role.WARD_COORDINATOR)
    legacy_groups_carry_over(ward=world.ward, group_ids=[old_group.pk], by=only_today)
    household.refresh_from_db()
    assert household.area.path.startswith(world.ward.path)


# --- Pages ---------------------------------------------------------------------------------------
def test_the_ward_page_warns_and_the_page_offers_the_move(world, old_group, login):
    household_in(old_group)
    client = login(world.users["ward"])
    ward_page = client.get(reverse("workspace:ward", args=[world.ward.pk]))
    assert b'id="legacy-groups-notice"' in ward_page.content
    page = client.get(reverse("workspace:legacy-groups", args=[world.ward.pk]))
    assert page.status_code == 200
    assert old_group.name in page.content.decode()
    assert b'id="legacy-approximate"' not in page.content
    response = client.post(
        reverse("workspace:legacy-groups-carry-over", args=[world.ward.pk]),
        {"group": [old_group.pk]},
    )
    assert response.status_code == 302
    assert not Household.objects.filter(area=old_group).exists()


def test_the_page_warns_when_attribution_is_approximate(world, old_group, login):
    _split(world)
    household_in(old_group)
    page = login(world.users["ward"]).get(reverse("workspace:legacy-groups", args=[world.ward.pk]))
    assert b'id="legacy-approximate"' in page.content


@pytest.mark.parametrize("key", ["volunteer", "leader"])
def test_field_roles_cannot_move_groups(world, old_group, login, key):
    household = household_in(old_group)
    response = login(world.users[key]).post(
        reverse("workspace:legacy-groups-carry-over", args=[world.ward.pk]),
        {"group": [old_group.pk]},
    )
    assert response.status_code == 403
    household.refresh_from_db()
    assert household.area == old_group


def test_another_wards_coordinator_cannot_move_them(world, old_group, login):
    household = household_in(old_group)
    response = login(world.users["other_ward"]).post(
        reverse("workspace:legacy-groups-carry-over", args=[world.ward.pk]),
        {"group": [old_group.pk]},
    )
    assert response.status_code == 404
    household.refresh_from_db()
    assert household.area == old_group


# --- What the volunteer is told -----------------------------------------------------------------
def test_the_household_page_says_where_todays_visit_counts_and_when_it_is_approximate(
    world, old_group, client
):
    volunteer = member(old_group, Role.VOLUNTEER, full_name="TNV tổ cũ")
    household = household_in(old_group)
    client.force_login(volunteer)
    page = client.get(household.get_absolute_url()).content.decode()
    assert "data-counts-in" in page
    assert world.ward.name in page
    assert "tạm tính" not in page
    _split(world)
    page = client.get(household.get_absolute_url()).content.decode()
    assert "tạm tính" in page
    # A household of today's group is told nothing.
    client.force_login(world.users["volunteer"])
    page = client.get(household_in(world.groups[0]).get_absolute_url()).content.decode()
    assert "data-counts-in" not in page
