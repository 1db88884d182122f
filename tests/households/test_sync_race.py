"""The same visit in two batches at the same moment (two tabs, a tab and the service worker):
one row, and both answered as saved. The protocol's item savepoint is the visit's transaction,
so the loser's IntegrityError reaches the protocol, which runs the item once more."""

import uuid

import pytest
from django.db import connection

from households.models import Visit
from households.sync import DOOR
from tests.threads import race

from .factories import household_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_one_visit_in_racing_batches_lands_once_and_every_batch_hears_it_saved(world):
    household = household_in(world.groups[0])
    volunteer = world.users["volunteer"]
    for _ in range(4):
        item = {
            "type": "visit",
            "id": str(uuid.uuid4()),
            "data": {"household": household.pk, "result": "helped", "install_guidance": 1},
        }
        outcomes = race(lambda item=item: DOOR.apply(user=volunteer, items=[item]), count=4)
        statuses = sorted(outcome[0]["status"] for outcome in outcomes)
        assert statuses == ["created", "duplicate", "duplicate", "duplicate"], outcomes
        assert Visit.objects.filter(client_uuid=item["id"]).count() == 1


def test_one_backlog_in_racing_batches_lands_once_and_every_batch_hears_it_saved(world):
    """The batch's visits are written together: the loser's INSERT meets the constraint, its
    run is rolled back, and each of its visits, applied alone, finds its twin."""
    households = [household_in(world.groups[0]) for _ in range(3)]
    volunteer = world.users["volunteer"]
    for _ in range(3):
        items = [
            {
                "type": "visit",
                "id": str(uuid.uuid4()),
                "data": {"household": household.pk, "result": "helped", "install_guidance": 1},
            }
            for household in households
        ]
        outcomes = race(lambda items=items: DOOR.apply(user=volunteer, items=items), count=3)
        for position, item in enumerate(items):
            statuses = sorted(outcome[position]["status"] for outcome in outcomes)
            assert statuses == ["created", "duplicate", "duplicate"], outcomes
            assert Visit.objects.filter(client_uuid=item["id"]).count() == 1
