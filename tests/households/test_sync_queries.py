"""The sync endpoint is the hot path: a single-visit request stays at a handful of statements."""

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.models import PeriodLock
from campaigns.models import TallyJournal
from households.models import Visit

from .factories import household_in

pytestmark = pytest.mark.django_db
URL = "/households/sync/"
# Session, user, roles, the household (its area, the scope check, a resend check and whether a
# frozen period meets the visit's day, in one query), the visit (on PostgreSQL with its
# household's last visit in the same statement; SQLite needs an UPDATE of its own), the tallies
# journal, the session's expiry.
STATEMENTS = 7 if connection.vendor == "postgresql" else 8
# The test's own transaction turns two transactions (the visit, the session save) into
# savepoints: SAVEPOINT + RELEASE each.
TEST_SAVEPOINTS = 4


@pytest.fixture
def deferred(settings):
    """Production's shape: the tallies are folded by a task, not in the request."""
    settings.TALLIES_FOLD_INLINE = False


def send(client, household, **data):
    item = {
        "type": "visit",
        "id": str(uuid.uuid4()),
        "data": {"household": household.pk, "result": "helped", **data},
    }
    return client.post(URL, data=json.dumps({"items": [item]}), content_type="application/json")


def test_single_visit_sync_request_stays_within_its_statements(
    world, login, deferred, django_assert_max_num_queries
):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    with django_assert_max_num_queries(STATEMENTS + TEST_SAVEPOINTS):
        response = send(client, household, install_guidance=1)
    assert response.json()["results"][0]["status"] == "created"
    assert Visit.objects.filter(household=household).count() == 1
    assert TallyJournal.objects.count() == 1


def test_single_visit_sync_runs_no_savepoint_of_its_own_and_no_refetch(world, login, deferred):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    with CaptureQueriesContext(connection) as queries:
        send(client, household, install_guidance=1)
    statements = [q["sql"] for q in queries.captured_queries]
    real = [sql for sql in statements if "SAVEPOINT" not in sql]
    assert len(real) <= STATEMENTS, "\n".join(real)
    reads = [
        sql for sql in real if sql.startswith("SELECT") and 'FROM "households_household"' in sql
    ]
    assert len(reads) == 1  # the household is read once, with its area and the checks
    assert not any(sql.startswith("UPDATE") and "tally" in sql for sql in real)
    # The frozen-period check rode on the household's read: no query of the locks of its own.
    locks = [sql for sql in real if '"areas_periodlock"' in sql]
    assert locks == reads


def lock(area, day: datetime.date) -> PeriodLock:
    return PeriodLock.objects.create(area=area, start=day, end=day, label="Kỳ", owner_key="test")


def test_a_single_visit_on_a_frozen_day_is_refused_and_writes_nothing(world, login, deferred):
    household = household_in(world.groups[0])
    lock(world.ward, datetime.date(2026, 1, 10))
    client = login(world.users["volunteer"])
    answer = send(client, household, device_time="2026-01-10T08:30:00+07:00", install_guidance=1)
    result = answer.json()["results"][0]
    assert result["status"] == "invalid"
    assert "đã khóa" in str(result["errors"])
    assert (Visit.objects.count(), TallyJournal.objects.count()) == (0, 0)
    household.refresh_from_db()
    assert household.last_visit_at is None


def test_a_frozen_period_elsewhere_on_the_day_still_lets_the_visit_in(world, login, deferred):
    """A lock meeting the day in another ward: the household's read says the day is not open,
    the guard then asks which units are frozen, and this one is not."""
    household = household_in(world.groups[0])
    lock(world.other_ward, datetime.date(2026, 1, 10))
    client = login(world.users["volunteer"])
    answer = send(client, household, device_time="2026-01-10T08:30:00+07:00", install_guidance=1)
    assert answer.json()["results"][0]["status"] == "created"
    assert TallyJournal.objects.count() == 1


def test_a_single_visit_sets_its_household_last_visit(world, login, deferred):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    send(client, household, device_time="2026-01-10T08:30:00+07:00")
    send(client, household, device_time="2026-01-09T08:30:00+07:00")  # an older one, sent late
    household.refresh_from_db()
    assert household.last_visit_at == datetime.datetime(2026, 1, 10, 1, 30, tzinfo=datetime.UTC)


def test_resend_of_a_visit_is_a_duplicate_through_the_same_query(world, login, deferred):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    item = {
        "type": "visit",
        "id": str(uuid.uuid4()),
        "data": {"household": household.pk, "result": "helped"},
    }
    body = json.dumps({"items": [item]})
    first = client.post(URL, data=body, content_type="application/json").json()["results"][0]
    again = client.post(URL, data=body, content_type="application/json").json()["results"][0]
    assert (first["status"], again["status"]) == ("created", "duplicate")
    assert again["server_id"] == first["server_id"]
    assert Visit.objects.count() == 1


def test_ping_answers_signed_in_users_only(client, nobody):
    assert client.get("/households/ping.json").status_code == 302
    client.force_login(nobody)
    response = client.get("/households/ping.json")
    assert (response.status_code, response.json()) == (200, {"ok": True})
