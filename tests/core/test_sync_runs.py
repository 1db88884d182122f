"""An item type may apply a run of its items at once (`handle_many`): what it decides is each
item's answer, what it leaves is applied alone, and a run that fails leaves nothing behind and
sends every item of it alone."""

import datetime
import uuid
from typing import Any
from uuid import UUID

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from core.activity import ActivityDelta, activity_changed, activity_record
from core.sync import CREATED, INVALID, Item, ItemType, Outcome, SyncDoor

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)
calls: list[tuple[str, Any]] = []


def one(user: Any, item_id: UUID, data: dict[str, Any], prepared: Any = None) -> Outcome:
    calls.append(("one", data["n"]))
    Group.objects.create(name=f"one {item_id}")
    activity_record(sender="test", deltas=[ActivityDelta(1, DAY, {"n": data["n"]})])
    return CREATED, {"by": "one"}


def many(user: Any, items: list[Item], prepared: Any = None) -> dict[int, Outcome]:
    calls.append(("many", [item.data["n"] for item in items]))
    decided: dict[int, Outcome] = {}
    for item in items:
        if item.data.get("alone"):
            continue
        if item.data.get("bad"):
            decided[item.position] = INVALID, {"errors": {"n": ["Không hợp lệ."]}}
            continue
        Group.objects.create(name=f"many {item.uuid}")
        activity_record(sender="test", deltas=[ActivityDelta(1, DAY, {"n": item.data["n"]})])
        decided[item.position] = CREATED, {"by": "many"}
    if any(item.data.get("twin") for item in items):
        raise IntegrityError("a twin landed")
    return decided


def other(user: Any, item_id: UUID, data: dict[str, Any]) -> Outcome:
    calls.append(("other", data["n"]))
    return CREATED, {"by": "other"}


DOOR = SyncDoor(
    ItemType("thing", one, prepare=lambda user, items: None, handle_many=many),
    ItemType("other", other),
)


@pytest.fixture
def sent():
    counts: list[int] = []

    def receiver(sender, deltas, **kwargs):
        counts.extend(delta.counts["n"] for delta in deltas)

    activity_changed.connect(receiver)
    calls.clear()
    yield counts
    activity_changed.disconnect(receiver)


def item(kind: str = "thing", **data) -> dict:
    return {"type": kind, "id": str(uuid.uuid4()), "data": data}


def test_a_run_answers_what_it_decides_and_leaves_the_rest_to_each_item(sent):
    items = [item(n=1), item(n=2, alone=True), item(n=4, bad=True), item(n=8)]
    results = DOOR.apply(user=None, items=items)
    assert [(r["status"], r.get("by")) for r in results] == [
        ("created", "many"),
        ("created", "one"),
        ("invalid", None),
        ("created", "many"),
    ]
    assert calls == [("many", [1, 2, 4, 8]), ("one", 2)]
    assert sorted(sent) == [1, 2, 8]
    assert Group.objects.count() == 3


def test_a_failed_run_leaves_nothing_and_every_item_is_applied_alone(sent):
    items = [item(n=1), item(n=2, twin=True), item(n=4)]
    results = DOOR.apply(user=None, items=items)
    assert [(r["status"], r["by"]) for r in results] == [("created", "one")] * 3
    assert calls == [("many", [1, 2, 4]), ("one", 1), ("one", 2), ("one", 4)]
    assert sorted(sent) == [1, 2, 4]  # the run's own activity went with its savepoint
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(
        f"one {i['id']}" for i in items
    )


def test_runs_are_consecutive_items_of_one_type_and_a_lone_item_is_applied_alone(sent):
    items = [item(n=1), item("other", n=2), item(n=4), item(n=8), item("other", n=16), item(n=32)]
    results = DOOR.apply(user=None, items=items)
    assert [r["by"] for r in results] == ["one", "other", "many", "many", "other", "one"]
    assert calls == [("one", 1), ("other", 2), ("many", [4, 8]), ("other", 16), ("one", 32)]
