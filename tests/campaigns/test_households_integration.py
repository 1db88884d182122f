"""Through the real households services: a visit, its edit and its rejection move the city
total, and the tallies match a recompute from the raw visits."""

import pytest
from django.utils import timezone

pytest.importorskip("households.services")

from campaigns.models import AreaDayTally
from campaigns.tallies import raw_deltas, stored_tallies, tallies_diff, tallies_from_deltas
from households.services import visit_edit, visit_review
from tests.households.factories import household_in, visit_data, visit_for

pytestmark = pytest.mark.django_db


def city_total(world, key: str) -> int:
    row = AreaDayTally.objects.filter(area=world.city, day=timezone.localdate()).first()
    return getattr(row, key) if row else 0


def test_a_visit_moves_the_city_total_and_a_rejection_takes_it_back(world):
    volunteer = world.users["volunteer"]
    household = household_in(world.groups[0])
    visit = visit_for(household, volunteer, install_guidance=2, level2_coaching=1)
    assert city_total(world, "install_guidance") == 2
    assert city_total(world, "households_visited") == 1
    assert city_total(world, "volunteer_participations") == 1
    visit_edit(
        visit=visit, editor=volunteer, data=visit_data(install_guidance=3, level2_coaching=1)
    )
    assert city_total(world, "install_guidance") == 3
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []
    visit_review(visit=visit, reviewer=world.users["ward"], approve=False)
    assert city_total(world, "install_guidance") == 0
    assert city_total(world, "volunteer_participations") == 0
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []


def test_teammates_and_a_knock_with_nobody_home_count_as_participations(world):
    volunteer, teammate = world.users["volunteer"], world.users["volunteer2"]
    visit = visit_for(
        household_in(world.groups[0]), volunteer, install_guidance=1, teammates=[teammate.pk]
    )
    visit_for(household_in(world.groups[0]), world.users["leader"], result="not_home")
    # Three people were at work today: the two at the first door, the one who found nobody.
    assert city_total(world, "volunteer_participations") == 3
    assert city_total(world, "install_guidance") == 1  # the teammate adds no counts
    assert city_total(world, "households_visited") == 1  # nobody at home reaches nobody
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []
    visit_review(visit=visit, reviewer=world.users["ward"], approve=False)
    assert city_total(world, "volunteer_participations") == 1
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []


def test_a_teammate_added_or_dropped_in_an_edit_moves_participations(world):
    volunteer, teammate = world.users["volunteer"], world.users["volunteer2"]
    visit = visit_for(household_in(world.groups[0]), volunteer, install_guidance=1)
    assert city_total(world, "volunteer_participations") == 1
    visit_edit(
        visit=visit, editor=volunteer, data=visit_data(install_guidance=1, teammates=[teammate.pk])
    )
    assert list(visit.teammates.all()) == [teammate]
    assert city_total(world, "volunteer_participations") == 2
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []
    visit_edit(visit=visit, editor=volunteer, data=visit_data(install_guidance=1, teammates=[]))
    assert city_total(world, "volunteer_participations") == 1
    assert visit.edits.latest("pk").changes["teammates"] == [[teammate.pk], []]
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []
