"""A phone back online sends its backlog in one batch: the batch shares its reads and its
journal write, and each visit still succeeds or fails on its own, once however often it is sent."""

import json
import uuid

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from campaigns.models import AreaDayTally, TallyJournal
from households.models import Visit

from .factories import household_in

pytestmark = pytest.mark.django_db
URL = "/households/sync/"
DAY = "2026-01-10T08:30:00+07:00"
# Session, user, roles; the batch's transaction (BEGIN, COMMIT), its households and its resends
# (one query each), the journal; session expiry, the tests' own savepoints.
BATCH_STATEMENTS = 14
# Each new visit: its savepoint and release, its row, its household's last visit.
PER_VISIT = 4


@pytest.fixture
def deferred(settings):
    """Production's shape: the tallies are folded by a task, not in the request."""
    settings.TALLIES_FOLD_INLINE = False


def post(client, items):
    return client.post(URL, data=json.dumps({"items": items}), content_type="application/json")


def visit_item(household, item_id=None, **data):
    return {
        "type": "visit",
        "id": str(item_id or uuid.uuid4()),
        "data": {"household": household.pk, "result": "helped", "device_time": DAY, **data},
    }


def visited(area) -> int:
    total = AreaDayTally.objects.filter(area=area).aggregate(n=Sum("households_visited"))["n"]
    return total or 0


def _statements(client, items) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        results = post(client, items).json()["results"]
    assert {r["status"] for r in results} == {"created"}
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("size", [5, 40])
def test_a_batch_costs_its_visits_own_writes_and_a_fixed_number_of_statements(
    world, login, deferred, size, django_assert_max_num_queries
):
    households = [household_in(world.groups[0]) for _ in range(5)]
    client = login(world.users["volunteer"])
    items = [visit_item(households[n % 5], install_guidance=1) for n in range(size)]
    with django_assert_max_num_queries(BATCH_STATEMENTS + PER_VISIT * size):
        results = post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["created"] * size
    assert Visit.objects.count() == size


def test_a_batch_reads_its_households_once_and_journals_in_one_insert(world, login, deferred):
    households = [household_in(world.groups[n % 2]) for n in range(6)]
    client = login(world.users["volunteer"])
    statements = _statements(client, [visit_item(h, install_guidance=1) for h in households * 3])
    reads = [
        sql for sql in statements if sql.startswith("SELECT") and "households_household" in sql
    ]
    journal = [sql for sql in statements if sql.startswith('INSERT INTO "campaigns_tallyjournal"')]
    assert len(reads) == 1
    assert len(journal) == 1
    assert sum(1 for sql in statements if sql.startswith("COMMIT")) <= 1
    assert TallyJournal.objects.count() == 18


def test_a_bad_item_is_answered_on_its_own_and_the_rest_of_the_batch_lands(world, login):
    mine = household_in(world.groups[0], members=2)
    foreign = household_in(world.other_groups[0])
    client = login(world.users["volunteer"])
    items = [
        visit_item(mine, install_guidance=1),
        visit_item(foreign, install_guidance=1),  # outside the volunteer's reach
        visit_item(mine, install_guidance=5),  # more people than the household has
        visit_item(mine, result="what"),  # no such result
        visit_item(mine, result="not_home"),
    ]
    results = post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "invalid", "invalid", "created"]
    assert "household" in results[1]["errors"]
    assert "over_members_confirmed" in results[2]["errors"]
    assert "result" in results[3]["errors"]
    assert Visit.objects.filter(household=mine).count() == 2
    assert not Visit.objects.filter(household=foreign).exists()
    assert visited(world.groups[0]) == 1  # the helped visit; nobody at home reaches no one
    assert visited(world.other_groups[0]) == 0


def test_a_resent_batch_is_answered_duplicate_and_never_counts_twice(world, login):
    households = [household_in(world.groups[0]) for _ in range(4)]
    client = login(world.users["volunteer"])
    items = [visit_item(h, install_guidance=1) for h in households]
    first = post(client, items).json()["results"]
    assert visited(world.groups[0]) == 4
    # The answer was lost: the phone sends the whole backlog again, plus one new visit.
    again = post(client, [*items, visit_item(households[0])]).json()["results"]
    assert [r["status"] for r in again] == ["duplicate"] * 4 + ["created"]
    assert [r["server_id"] for r in again[:4]] == [r["server_id"] for r in first]
    assert Visit.objects.count() == 5
    assert visited(world.groups[0]) == 5


def test_the_same_visit_twice_in_one_batch_lands_once(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    item = visit_item(household, install_guidance=1)
    results = post(client, [item, visit_item(household), item]).json()["results"]
    assert [r["status"] for r in results] == ["created", "created", "duplicate"]
    assert results[2]["server_id"] == results[0]["server_id"]
    assert Visit.objects.count() == 2
    assert visited(world.groups[0]) == 2


def test_a_changed_resend_in_a_batch_is_a_conflict_and_changes_nothing(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    item = visit_item(household, install_guidance=1)
    post(client, [item])
    changed = visit_item(household, uuid.UUID(item["id"]), install_guidance=2)
    results = post(client, [changed, visit_item(household)]).json()["results"]
    assert [r["status"] for r in results] == ["conflict", "created"]
    assert Visit.objects.get(client_uuid=item["id"]).install_guidance == 1
    assert visited(world.groups[0]) == 2


def test_visits_naming_a_household_made_in_the_same_batch_land_with_it(world, login):
    household_id = uuid.uuid4()
    known = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    items = [
        visit_item(known),
        {
            "type": "visit",
            "id": str(uuid.uuid4()),
            "data": {"household_uuid": str(household_id), "result": "helped", "device_time": DAY},
        },
        {
            "type": "household",
            "id": str(household_id),
            "data": {"area": world.groups[1].pk, "house_number": "7", "street": "Kim Giang"},
        },
    ]
    results = post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["created", "created", "created"]
    assert Visit.objects.filter(household__client_uuid=household_id).count() == 1
