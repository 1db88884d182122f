"""The same visit in two batches at the same moment (two tabs, a tab and the service worker):
one row, and both answered as saved. The protocol's item savepoint is the visit's transaction,
so the loser's IntegrityError reaches the protocol, which runs the item once more."""

import threading
import uuid

import pytest
from django.db import connection, connections

from households.models import Visit
from households.sync import DOOR

from .factories import household_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def race(work, count: int) -> list:
    barrier = threading.Barrier(count)
    outcomes: list = []

    def runner():
        try:
            barrier.wait()
            outcomes.append(work())
        except Exception as error:  # the outcome is what the test checks
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


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
