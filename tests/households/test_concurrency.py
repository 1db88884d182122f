"""The same UUID sent twice at the same moment leaves one row (PostgreSQL: real concurrency)."""

import uuid

import pytest
from django.db import connection

from households.models import Household, Visit
from households.services import Conflict, household_create, visit_record
from tests.threads import race

from .factories import household_in, visit_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_same_visit_uuid_sent_concurrently_leaves_one_row(world):
    household = household_in(world.groups[0])
    volunteer = world.users["volunteer"]
    client_id = uuid.uuid4()
    data = visit_data(install_guidance=1)
    for _ in range(5):
        outcomes = race(
            lambda: visit_record(
                volunteer=volunteer, household=household, client_id=client_id, data=data
            )[1],
            count=4,
        )
        assert all(isinstance(outcome, bool) for outcome in outcomes), outcomes
    assert Visit.objects.filter(client_uuid=client_id).count() == 1
    assert sorted(outcomes) == [False, False, False, False]


def test_concurrent_first_sends_create_exactly_one(world):
    household = household_in(world.groups[0])
    volunteer = world.users["volunteer"]
    client_id = uuid.uuid4()
    outcomes = race(
        lambda: visit_record(
            volunteer=volunteer, household=household, client_id=client_id, data=visit_data()
        )[1],
        count=4,
    )
    assert sorted(outcomes) == [False, False, False, True], outcomes
    assert Visit.objects.filter(client_uuid=client_id).count() == 1


def test_concurrent_changed_payload_is_a_conflict_not_a_second_row(world):
    household = household_in(world.groups[0], members=5)
    volunteer = world.users["volunteer"]
    client_id = uuid.uuid4()
    payloads = iter([visit_data(email=1), visit_data(email=2)])
    outcomes = race(
        lambda: visit_record(
            volunteer=volunteer, household=household, client_id=client_id, data=next(payloads)
        )[1]
    )
    assert sum(isinstance(outcome, Conflict) for outcome in outcomes) == 1
    assert Visit.objects.filter(client_uuid=client_id).count() == 1


def test_same_household_uuid_sent_concurrently_leaves_one_row(world):
    volunteer = world.users["volunteer"]
    client_id = uuid.uuid4()
    data = {"house_number": "3", "street": "Định Công", "members": 2}
    outcomes = race(
        lambda: household_create(
            user=volunteer, area=world.groups[0], data=data, client_id=client_id
        )[1],
        count=3,
    )
    assert sorted(outcomes) == [False, False, True], outcomes
    assert Household.objects.filter(client_uuid=client_id).count() == 1
