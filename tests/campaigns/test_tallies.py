"""The summary tables move with every delta, at every level, exactly once."""

import datetime

import pytest

from campaigns.models import AreaDayTally, VolunteerDayTally
from campaigns.tallies import stored_tallies, tallies_diff, tallies_from_deltas
from core.activity import PARTICIPATIONS, ActivityDelta, activity_record

from .factories import CURRENT_DAY, record

pytestmark = pytest.mark.django_db


def tally(area, day=CURRENT_DAY) -> AreaDayTally | None:
    return AreaDayTally.objects.filter(area=area, day=day).first()


def test_a_delta_counts_at_the_leaf_and_every_level_above_it(world):
    group = world.groups[0]
    record(group, CURRENT_DAY, world.users["volunteer"], households_visited=1, install_guidance=2)
    for area in (group, world.ward, world.city):
        row = tally(area)
        assert (row.households_visited, row.install_guidance) == (1, 2), area
        assert row.volunteer_participations == 1
    assert tally(world.other_ward) is None


def test_a_negative_delta_undoes_the_record_and_its_participation(world):
    volunteer = world.users["volunteer"]
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=1, level1_activations=1)
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=-1, level1_activations=-1)
    for area in (world.groups[0], world.ward, world.city):
        row = tally(area)
        assert row.households_visited == 0
        assert row.level1_activations == 0
        assert row.volunteer_participations == 0


def test_participations_are_distinct_volunteer_days_at_each_level(world):
    volunteer, other = world.users["volunteer"], world.users["volunteer2"]
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=1)
    record(world.groups[1], CURRENT_DAY, volunteer, households_visited=1)
    record(world.groups[1], CURRENT_DAY, other, households_visited=3)
    record(
        world.groups[1], CURRENT_DAY + datetime.timedelta(days=1), volunteer, households_visited=1
    )
    assert tally(world.groups[0]).volunteer_participations == 1
    assert tally(world.groups[1]).volunteer_participations == 2
    # One volunteer in two groups on one day is one participation of the ward.
    assert tally(world.ward).volunteer_participations == 2
    assert tally(world.ward, CURRENT_DAY + datetime.timedelta(days=1)).volunteer_participations == 1


def test_event_checkins_add_participations_without_a_volunteer(world):
    record(world.groups[0], CURRENT_DAY, None, **{PARTICIPATIONS: 5, "trainings_held": 1})
    assert tally(world.ward).volunteer_participations == 5
    assert tally(world.ward).trainings_held == 1
    assert not VolunteerDayTally.objects.filter(area=world.ward).exists()


def test_an_edit_moves_counts_between_areas_exactly_once(world):
    volunteer = world.users["volunteer"]
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=1, dossiers_total=2)
    # The visit is corrected to another group of the same ward: minus here, plus there.
    activity_record(
        sender="tests",
        deltas=[
            ActivityDelta(
                world.groups[0].pk,
                CURRENT_DAY,
                {"households_visited": -1, "dossiers_total": -2},
                volunteer.pk,
            ),
            ActivityDelta(
                world.groups[1].pk,
                CURRENT_DAY,
                {"households_visited": 1, "dossiers_total": 2},
                volunteer.pk,
            ),
        ],
    )
    assert tally(world.groups[0]).dossiers_total == 0
    assert tally(world.groups[1]).dossiers_total == 2
    assert tally(world.ward).dossiers_total == 2
    assert tally(world.ward).volunteer_participations == 1


def test_tables_match_an_in_memory_recompute_of_the_same_deltas(world):
    volunteer = world.users["volunteer"]
    deltas = [
        record(world.groups[0], CURRENT_DAY, volunteer, households_visited=2),
        record(world.other_groups[0], CURRENT_DAY, None, awareness_posts=1),
        record(world.legacy_groups[0], datetime.date(2023, 3, 2), volunteer, level2_activations=4),
    ]
    assert tallies_diff(tallies_from_deltas(deltas), stored_tallies()) == []
