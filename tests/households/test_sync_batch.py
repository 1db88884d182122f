"""A phone back online sends its backlog in one batch: the batch shares its reads and its
journal write, and each visit still succeeds or fails on its own, once however often it is sent."""

import datetime
import json
import logging
import uuid

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from areas.models import PeriodLock
from campaigns.models import AreaDayTally, TallyJournal
from households import sync
from households.models import Household, StatusChange, Visit

from .factories import household_in

pytestmark = pytest.mark.django_db
URL = "/households/sync/"
DAY = "2026-01-10T08:30:00+07:00"
# Session, user, roles; the batch's transaction (BEGIN, COMMIT), its households and its resends
# (one query each, in the preparation's savepoint), the new visits' run in one savepoint: the
# frozen-period probe, the visits' INSERT, their households' last visit; the journal; session
# expiry, the tests' own savepoints. None of it grows with the number of visits.
BATCH_STATEMENTS = 18


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
def test_a_batch_costs_a_fixed_number_of_statements_whatever_its_size(
    world, login, deferred, size, django_assert_max_num_queries
):
    households = [household_in(world.groups[0]) for _ in range(5)]
    client = login(world.users["volunteer"])
    items = [visit_item(households[n % 5], install_guidance=1) for n in range(size)]
    with django_assert_max_num_queries(BATCH_STATEMENTS):
        results = post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["created"] * size
    assert Visit.objects.count() == size


def test_a_batch_of_forty_runs_as_many_statements_as_a_batch_of_three(world, login, deferred):
    households = [household_in(world.groups[n % 2]) for n in range(8)]
    client = login(world.users["volunteer"])
    post(client, [visit_item(households[0])])  # the session's first save is behind us
    small = _statements(client, [visit_item(h, install_guidance=1) for h in households[:3]])
    large = _statements(client, [visit_item(households[n % 8]) for n in range(40)])
    assert len(large) == len(small), "\n".join(sql[:80] for sql in large)
    inserts = [sql for sql in large if 'INSERT INTO "households_visit"' in sql]
    assert len(inserts) == 1
    raises = [sql for sql in large if 'UPDATE "households_household"' in sql]
    assert len(raises) == 1
    # PostgreSQL raises the households' last visit in the INSERT's own statement.
    assert (raises[0] == inserts[0]) == (connection.vendor == "postgresql")
    assert sum(1 for sql in large if sql.startswith("SAVEPOINT")) == sum(
        1 for sql in small if sql.startswith("SAVEPOINT")
    )


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


def test_a_batch_moves_each_household_to_its_latest_visit_and_never_back(world, login):
    first, second, later = (household_in(world.groups[0]) for _ in range(3))
    known = datetime.datetime(2026, 2, 1, 9, 0, tzinfo=datetime.UTC)
    Household.objects.filter(pk=later.pk).update(last_visit_at=known)
    client = login(world.users["volunteer"])
    items = [
        visit_item(first, device_time="2026-01-10T08:30:00+07:00"),
        visit_item(first, device_time="2026-01-12T08:30:00+07:00"),
        visit_item(first, device_time="2026-01-11T08:30:00+07:00"),
        visit_item(second, device_time="2026-01-09T08:30:00+07:00"),
        visit_item(later, device_time="2026-01-09T08:30:00+07:00"),  # older than it knew
    ]
    assert {r["status"] for r in post(client, items).json()["results"]} == {"created"}
    moments = dict(Household.objects.values_list("pk", "last_visit_at"))
    assert moments[first.pk] == datetime.datetime(2026, 1, 12, 1, 30, tzinfo=datetime.UTC)
    assert moments[second.pk] == datetime.datetime(2026, 1, 9, 1, 30, tzinfo=datetime.UTC)
    assert moments[later.pk] == known


def test_visits_with_steps_or_teammates_land_beside_the_plain_ones(world, login):
    household, other = household_in(world.groups[0]), household_in(world.groups[0])
    teammate = world.users["volunteer2"]
    client = login(world.users["volunteer"])
    items = [
        visit_item(other, install_guidance=1),
        visit_item(household, status_to=["app_installed", "level1"]),
        visit_item(other, teammates=[teammate.pk]),
        visit_item(household, status_to="level2_activated"),  # skips a step: refused alone
        visit_item(other, result="not_home"),
    ]
    results = post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["created", "created", "created", "invalid", "created"]
    assert "status_to" in results[3]["errors"]
    household.refresh_from_db()
    assert household.digital_status == "level1"
    assert StatusChange.objects.filter(household=household).count() == 2
    with_teammate = Visit.objects.get(pk=results[2]["server_id"])
    assert list(with_teammate.teammates.values_list("pk", flat=True)) == [teammate.pk]
    assert visited(world.groups[0]) == 3  # nobody at home reaches no one


def test_a_visit_on_a_frozen_day_is_refused_alone_and_the_batch_lands(world, login):
    household = household_in(world.groups[0])
    PeriodLock.objects.create(
        area=world.ward,
        start=datetime.date(2026, 1, 10),
        end=datetime.date(2026, 1, 10),
        label="Tháng 1",
        owner_key="test",
    )
    client = login(world.users["volunteer"])
    items = [
        visit_item(household, device_time="2026-01-09T08:30:00+07:00"),
        visit_item(household, device_time=DAY),  # the frozen day
        visit_item(household, device_time="2026-01-11T08:30:00+07:00"),
    ]
    results = post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    assert "đã khóa" in str(results[1]["errors"])
    assert Visit.objects.count() == 2
    assert visited(world.groups[0]) == 2


def test_a_twin_landing_during_the_batch_sends_its_visits_one_by_one(
    world, login, monkeypatch, caplog
):
    """The batch's read of its resends predates a twin of one of its visits (another tab):
    the run's INSERT meets the unique constraint, nothing of the run stays, and each visit is
    applied alone — the twin's answered as the resend it is, the others created."""
    households = [household_in(world.groups[0]) for _ in range(3)]
    volunteer = world.users["volunteer"]
    client = login(volunteer)
    twin = visit_item(households[0], install_guidance=1)
    post(client, [twin])
    blind = sync.visit_targets_for

    def unaware_of_resends(**kwargs):
        targets = blind(**kwargs)
        targets.known_visits = {}
        return targets

    monkeypatch.setattr(sync, "visit_targets_for", unaware_of_resends)
    items = [visit_item(households[1], install_guidance=1), twin, visit_item(households[2])]
    with caplog.at_level(logging.INFO, logger="core.sync.protocol"):
        results = post(client, items).json()["results"]
    assert "met a unique constraint" in caplog.text  # the run, then each visit alone
    assert [r["status"] for r in results] == ["created", "duplicate", "created"]
    assert Visit.objects.count() == 3
    assert visited(world.groups[0]) == 3  # the twin counted once
