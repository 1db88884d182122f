"""Frozen periods as the activity guard sees them: alone, inside a batch, and when a hot path
has already read that a day is open."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.locks import day_known_open, day_open_condition, deltas_lock_check
from areas.models import PeriodLock
from core.activity import ActivityDelta, activity_batch

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


def delta(area, day=DAY) -> ActivityDelta:
    return ActivityDelta(area_id=area.pk, day=day, counts={"households_visited": 1})


def freeze(area, start, end=None) -> PeriodLock:
    return PeriodLock.objects.create(
        area=area, start=start, end=end or start, label="Kỳ", owner_key="test"
    )


def lock_reads(queries) -> int:
    return sum('"areas_periodlock"' in query["sql"] for query in queries.captured_queries)


def test_a_frozen_unit_is_refused_and_its_neighbour_is_not(world):
    freeze(world.ward, DAY)
    with pytest.raises(ValidationError, match="khóa"):
        deltas_lock_check([delta(world.groups[0])])
    deltas_lock_check([delta(world.other_groups[0])])
    deltas_lock_check([delta(world.groups[0], DAY + datetime.timedelta(days=1))])


def test_in_a_batch_each_day_is_read_once_and_refusals_stay_exact(world):
    freeze(world.ward, DAY)
    for offset in range(1, 30):  # many sign-offs on other days: a batch reads none of them
        freeze(world.other_ward, DAY - datetime.timedelta(days=offset))
    with CaptureQueriesContext(connection) as queries, activity_batch():
        for _ in range(5):
            deltas_lock_check([delta(world.other_groups[0])])
            with pytest.raises(ValidationError):
                deltas_lock_check([delta(world.groups[0])])
        deltas_lock_check([delta(world.groups[0], DAY + datetime.timedelta(days=1))])
    assert lock_reads(queries) == 2  # the frozen day, and the open day after it


def test_a_day_known_open_asks_nothing_more_in_its_batch_only(world):
    with CaptureQueriesContext(connection) as queries, activity_batch():
        day_known_open(DAY)
        deltas_lock_check([delta(world.groups[0])])
    assert lock_reads(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        day_known_open(DAY)  # outside a batch nothing is kept
        deltas_lock_check([delta(world.groups[0])])
    assert lock_reads(queries) == 1


def test_a_day_known_open_does_not_hide_a_lock_the_batch_read(world):
    freeze(world.ward, DAY)
    with activity_batch():
        with pytest.raises(ValidationError):
            deltas_lock_check([delta(world.groups[0])])
        day_known_open(DAY)  # a stale hint cannot reopen a day read frozen
        with pytest.raises(ValidationError):
            deltas_lock_check([delta(world.groups[0])])


@pytest.mark.parametrize(
    ("start", "end", "is_open"), [(9, 9, True), (9, 10, False), (10, 12, False)]
)
def test_day_open_condition_reads_the_locks_meeting_the_day(world, start, end, is_open):
    freeze(world.other_ward, DAY.replace(day=start), DAY.replace(day=end))
    sql, params = day_open_condition(DAY)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        assert bool(cursor.fetchone()[0]) is is_open
