"""The registry's per-group counts: every door that adds, changes, moves or removes a
household keeps them equal to the households themselves, and any unit's registry is the sum
of its groups'."""

import pytest

from households.models import Household, HouseholdCount
from households.registry.selectors import (
    registry_by_unit,
    registry_drift,
    registry_from,
    registry_read,
)
from households.registry.services import registry_rebuild
from households.services import household_create, household_update

from .factories import household_in

pytestmark = pytest.mark.django_db


def _data(**fields) -> dict:
    return {"house_number": "12", "street": "Phố Huế", "members": 3, **fields}


def test_the_doors_keep_the_counts(world):
    coordinator = world.users["ward"]
    household, _created = household_create(user=coordinator, area=world.groups[0], data=_data())
    household_in(world.groups[1], members=5)
    assert registry_by_unit([world.groups[0], world.groups[1], world.ward]) == {
        world.groups[0].pk: (1, 3),
        world.groups[1].pk: (1, 5),
        world.ward.pk: (2, 8),
    }
    household_update(household=household, user=coordinator, data=_data(members=6), consent=False)
    assert registry_by_unit([world.ward])[world.ward.pk] == (2, 11)
    household.delete()
    assert registry_by_unit([world.ward])[world.ward.pk] == (1, 5)
    assert registry_drift() == []


def test_a_save_of_other_fields_recounts_nothing(world, django_assert_num_queries):
    household = household_in(world.groups[0])
    household.notes = "Ổn"
    with django_assert_num_queries(1):  # the UPDATE alone
        household.save(update_fields=["notes"])


def test_a_missed_door_shows_as_drift_and_a_rebuild_heals_it(world):
    household_in(world.groups[0], members=2)
    Household.objects.update(members=7)  # a queryset update: no signal, no recount
    assert registry_drift() == [(world.groups[0].pk, (1, 2), (1, 7))]
    assert registry_rebuild() == 1
    assert registry_drift() == []
    assert HouseholdCount.objects.get(area=world.groups[0]).members == 7


def test_units_at_several_depths_in_one_query(world, django_assert_num_queries):
    for group in world.groups:
        household_in(group)
    with django_assert_num_queries(1):
        counts = registry_by_unit([world.city, world.ward, *world.groups])
    assert counts[world.city.pk] == (len(world.groups), 4 * len(world.groups))
    assert counts[world.groups[0].pk] == (1, 4)


def test_the_registry_is_summed_per_unit_in_the_database(world):
    """A city page reads one row per commune, not one per residential group."""
    for group in [*world.groups, *world.other_groups]:
        household_in(group, members=2)
    length = len(world.ward.path)
    rows = list(registry_read(root_path=world.city.path, length=length))
    assert sorted(prefix for prefix, _n, _people in rows) == sorted(
        {world.ward.path, world.other_ward.path}
    )
    units = [world.city, world.ward, world.other_ward]
    assert registry_from(units, rows) == registry_by_unit(units)
    assert registry_from(units, rows)[world.ward.pk] == (len(world.groups), 2 * len(world.groups))
