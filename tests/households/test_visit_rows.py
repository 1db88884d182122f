"""New visits' rows: each gets its own key, and its household's last visit only moves forward,
on either engine (PostgreSQL in one statement, SQLite in two)."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.models import Household, Visit, VisitResult
from households.services.visit_rows import households_last_visit_raise, visits_insert

from .factories import household_in

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 3, 10, 5, 0, tzinfo=datetime.UTC)


def new_visit(household, volunteer, moment) -> Visit:
    return Visit(
        client_uuid=uuid.uuid4(),
        fingerprint="x",
        household=household,
        volunteer=volunteer,
        device_time=moment,
        day=moment.date(),
        area=household.area,
        result=VisitResult.HELPED,
    )


def last_visits(*households) -> list:
    return [Household.objects.get(pk=h.pk).last_visit_at for h in households]


def test_a_run_of_visits_gets_its_keys_and_raises_each_household_to_its_latest(world):
    first, second = household_in(world.groups[0]), household_in(world.groups[0])
    volunteer = world.users["volunteer"]
    hour = datetime.timedelta(hours=1)
    visits = [
        new_visit(first, volunteer, NOON),
        new_visit(second, volunteer, NOON - hour),
        new_visit(first, volunteer, NOON + hour),  # the latest of the first household
        new_visit(first, volunteer, NOON - hour),
    ]
    with CaptureQueriesContext(connection) as queries:
        visits_insert(visits)
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
    for visit in visits:
        assert Visit.objects.get(pk=visit.pk).client_uuid == visit.client_uuid
        assert not visit._state.adding
    assert last_visits(first, second) == [NOON + hour, NOON - hour]
    visits_insert([new_visit(first, volunteer, NOON - 2 * hour)])  # an older one, sent late
    assert last_visits(first) == [NOON + hour]


def test_the_raise_never_moves_a_last_visit_back(world):
    ahead, behind, never = (household_in(world.groups[0]) for _ in range(3))
    Household.objects.filter(pk=ahead.pk).update(last_visit_at=NOON)
    Household.objects.filter(pk=behind.pk).update(last_visit_at=NOON - datetime.timedelta(days=1))
    households_last_visit_raise(
        {ahead.pk: NOON - datetime.timedelta(hours=1), behind.pk: NOON, never.pk: NOON}
    )
    assert last_visits(ahead, behind, never) == [NOON, NOON, NOON]


def test_the_visit_path_pays_for_no_redundant_index():
    """Each foreign key of a visit (and a household's area) is served by a composite index
    leading with it, and nothing indexes a household's last visit (its raise stays HOT)."""
    with connection.cursor() as cursor:
        tables = {
            table: connection.introspection.get_constraints(cursor, table)
            for table in ("households_visit", "households_household")
        }
    indexed = {
        (table, tuple(info["columns"]))
        for table, constraints in tables.items()
        for info in constraints.values()
        if info["index"] and not info["primary_key"]
    }
    for column in ("household_id", "volunteer_id", "area_id"):
        assert ("households_visit", (column,)) not in indexed
        assert any(t == "households_visit" and cols[0] == column for t, cols in indexed)
    assert ("households_household", ("area_id",)) not in indexed
    assert not any("last_visit_at" in cols for _table, cols in indexed)
