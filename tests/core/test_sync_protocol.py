"""A batch through core.sync's SyncDoor with handlers made for the test: each item alone, in its
own savepoint, answered whatever it holds; past the limit, deferred."""

import json
import uuid
from typing import Any
from uuid import UUID

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import RequestFactory
from django.utils import translation

from core.sync import (
    CREATED,
    DUPLICATE,
    Dependency,
    ItemType,
    Outcome,
    SyncDoor,
    sync_response,
)

pytestmark = pytest.mark.django_db
applied: list[str] = []


def make(user: Any, item_id: UUID, data: dict[str, Any]) -> Outcome:
    """Writes a row, then fails as `data["fail"]` says: what it wrote must not stay."""
    applied.append(str(item_id))
    _group, created = Group.objects.get_or_create(name=str(item_id))
    failure = data.get("fail")
    if failure == "validation":
        raise ValidationError({"name": "Tên không hợp lệ."})
    if failure == "unexpected":
        raise KeyError("a bug")
    if failure == "value":
        raise OverflowError("date value out of range")
    if failure == "recursion":
        raise RecursionError
    if failure == "integrity":
        raise IntegrityError("duplicate key")
    return (CREATED if created else DUPLICATE), {"server_id": _group.pk}


def child(user: Any, item_id: UUID, data: dict[str, Any]) -> Outcome:
    applied.append(str(item_id))
    if not Group.objects.filter(name=data.get("parent_uuid")).exists():
        raise ValidationError({"parent_uuid": "Chưa có bản ghi cha."})
    return CREATED, {}


DOOR = SyncDoor(
    ItemType("thing", make),
    ItemType("part", child, depends_on=Dependency("thing", "parent_uuid")),
    limit=4,
)


@pytest.fixture(autouse=True)
def _fresh():
    applied.clear()


def thing(**data) -> dict:
    return {"type": "thing", "id": str(uuid.uuid4()), "data": data}


@pytest.mark.parametrize("failure", ["validation", "unexpected", "value", "recursion"])
def test_a_failing_item_writes_nothing_and_the_others_land(failure):
    batch = [thing(), thing(fail=failure), thing()]
    results = DOOR.apply(user=None, items=batch)
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    assert [r["code"] for r in results] == [201, 400, 201]
    assert results[1]["errors"]
    assert set(Group.objects.values_list("name", flat=True)) == {batch[0]["id"], batch[2]["id"]}


def test_an_unexpected_error_is_logged_and_answered_with_a_generic_message(caplog):
    (result,) = DOOR.apply(user=None, items=[thing(fail="unexpected")])
    assert result["status"] == "invalid"
    assert "Không lưu được" in result["errors"]["__all__"][0]
    assert any(record.exc_info for record in caplog.records)


def test_a_constraint_is_met_once_more_then_answered_invalid():
    item = thing(fail="integrity")
    (result,) = DOOR.apply(user=None, items=[item])
    assert result["status"] == "invalid"
    assert applied == [item["id"], item["id"]]  # the retry a racing twin would have answered


def test_messages_are_in_the_users_language():
    with translation.override("vi"):
        (result,) = DOOR.apply(user=None, items=["x"])
    assert result["errors"]["__all__"] == ["Mục gửi lên không đúng dạng."]


def test_a_child_listed_first_is_applied_after_its_parent_and_answers_keep_request_order():
    parent = thing()
    part = {"type": "part", "id": str(uuid.uuid4()), "data": {"parent_uuid": parent["id"]}}
    results = DOOR.apply(user=None, items=[part, parent])
    answered = [(r["type"], r["status"]) for r in results]
    assert answered == [("part", "created"), ("thing", "created")]
    assert applied == [parent["id"], part["id"]]


def test_items_past_the_limit_are_deferred_and_land_when_sent_again():
    batch = [{**thing(), "seq": n} for n in range(6)]
    first = DOOR.apply(user=None, items=batch)
    assert [r["status"] for r in first] == ["created"] * 4 + ["deferred"] * 2
    assert {r["code"] for r in first[4:]} == {429}
    again = DOOR.apply(user=None, items=batch[4:])  # the phone sends what still waits
    assert [r["status"] for r in again] == ["created"] * 2
    assert Group.objects.count() == 6


def test_unreadable_items_do_not_take_a_place_under_the_limit():
    batch = [*["junk"] * 5, *[thing() for _ in range(4)]]
    results = DOOR.apply(user=None, items=batch)
    assert [r["status"] for r in results] == ["invalid"] * 5 + ["created"] * 4


def post(body: bytes | str):
    request = RequestFactory().post("/sync/", data=body, content_type="application/json")
    request.user = None
    return sync_response(request, door=DOOR)


@pytest.mark.parametrize(
    "body",
    [
        "nope",
        b"\xff\xfe",
        "[]",
        '{"items": {}}',
        '{"things": []}',
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_a_body_that_is_not_a_batch_is_a_400_with_a_vietnamese_message(body):
    with translation.override("vi"):
        response = post(body)
    assert response.status_code == 400
    assert "Dữ liệu gửi lên" in json.loads(response.content)["error"]


def test_a_body_too_large_is_a_400(monkeypatch):
    monkeypatch.setattr("core.sync.web.MAX_BODY_BYTES", 100)
    response = post(json.dumps({"items": [thing(notes="x" * 200)]}))
    assert response.status_code == 400
    assert not Group.objects.exists()


def test_a_good_body_is_answered_200_with_one_result_per_item():
    response = post(json.dumps({"items": [thing(), "junk"]}))
    assert response.status_code == 200
    assert [r["status"] for r in json.loads(response.content)["results"]] == ["created", "invalid"]
