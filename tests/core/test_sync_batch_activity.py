"""A batch sends its items' activity once, when it ends, in its transaction; an item whose
savepoint is rolled back takes its activity with it. Prepared reads are shared, and dropped
when an item is run again after a constraint."""

import datetime
import uuid
from typing import Any
from uuid import UUID

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.activity import ActivityDelta, activity_changed, activity_record
from core.sync import CREATED, ItemType, Outcome, SyncDoor

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)
prepared_seen: list[Any] = []


def record(user: Any, item_id: UUID, data: dict[str, Any], prepared: Any = None) -> Outcome:
    prepared_seen.append(prepared)
    Group.objects.create(name=str(item_id))
    activity_record(sender="test", deltas=[ActivityDelta(1, DAY, {"n": data.get("n", 1)})])
    if data.get("fail") == "validation":
        raise ValidationError("Không hợp lệ.")
    if data.get("fail") == "integrity" and prepared is not None:
        raise IntegrityError("twin")  # the second attempt, unprepared, succeeds
    return CREATED, {}


def prepare(user: Any, items: list) -> str:
    return f"{len(items)} items"


DOOR = SyncDoor(ItemType("thing", record, prepare=prepare))


@pytest.fixture
def sent():
    batches: list[tuple[list[int], bool]] = []

    def receiver(sender, deltas, **kwargs):
        in_transaction = transaction.get_connection().in_atomic_block
        batches.append(([delta.counts["n"] for delta in deltas], in_transaction))

    activity_changed.connect(receiver)
    prepared_seen.clear()
    yield batches
    activity_changed.disconnect(receiver)


def item(**data) -> dict:
    return {"type": "thing", "id": str(uuid.uuid4()), "data": data}


def test_a_batch_sends_its_activity_once_without_the_failed_items(sent):
    items = [item(n=1), item(n=2, fail="validation"), item(n=4), item(n=8, fail="integrity")]
    results = DOOR.apply(user=None, items=items)
    assert [r["status"] for r in results] == ["created", "invalid", "created", "created"]
    assert len(sent) == 1
    counts, in_transaction = sent[0]
    assert sorted(counts) == [1, 4, 8]  # the rolled-back attempts' deltas are gone
    assert in_transaction  # journalled with the items, not after their commit
    assert Group.objects.count() == 3


def test_items_share_one_preparation_and_a_retry_runs_without_it(sent):
    DOOR.apply(user=None, items=[item(), item(fail="integrity")])
    assert prepared_seen == ["2 items", "2 items", None]


def test_a_single_item_is_its_own_transaction_and_sends_at_once(sent):
    DOOR.apply(user=None, items=[item(n=3)])
    assert sent == [([3], True)]
    assert prepared_seen == [None]
