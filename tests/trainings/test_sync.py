import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from trainings.models import SessionState, TrainingSession

from .factories import topics

pytestmark = pytest.mark.django_db


def _post(client, items):
    return client.post(
        reverse("trainings:sync"), json.dumps({"items": items}), content_type="application/json"
    )


def _plan(world, key):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return {
        "type": "training_plan",
        "id": str(key),
        "data": {
            "topics": [topics("email")[0].pk],
            "day": yesterday.isoformat(),
            "start_time": "08:00",
            "end_time": "10:00",
            "area": world.groups[0].pk,
            "audience": "residents",
        },
    }


def test_a_plan_and_its_report_made_offline_land_once_however_often_sent(world, login):
    client = login(world.users["volunteer"])
    plan_id, report_id = uuid.uuid4(), uuid.uuid4()
    report = {
        "type": "training_report",
        "id": str(report_id),
        "data": {"session_uuid": str(plan_id), "attendee_count": "11"},
    }
    first = _post(client, [report, _plan(world, plan_id)]).json()["results"]
    again = _post(client, [_plan(world, plan_id), report]).json()["results"]
    assert [r["status"] for r in first] == ["created", "created"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    session = TrainingSession.objects.get(client_uuid=plan_id)
    assert (session.state, session.attendee_count) == (SessionState.REPORTED, 11)


def test_bad_items_are_answered_one_by_one(world, login):
    client = login(world.users["volunteer"])
    plan = _plan(world, uuid.uuid4())
    plan["data"]["area"] = world.other_groups[0].pk
    results = _post(
        client,
        [
            plan,
            {"type": "training_report", "id": str(uuid.uuid4()),
             "data": {"session_uuid": str(uuid.uuid4()), "attendee_count": "-2"}},
            {"type": "nonsense", "id": str(uuid.uuid4()), "data": {}},
            {"type": "training_plan", "id": "not-a-uuid", "data": {}},
        ],
    ).json()["results"]  # fmt: skip
    assert [r["status"] for r in results] == ["invalid"] * 4
    errors = {(r["type"], r["id"] == "not-a-uuid"): r["errors"] for r in results}
    assert "area" in errors[("training_plan", False)]
    assert "id" in errors[("training_plan", True)]
    assert "session" in errors[("training_report", False)]
    assert "type" in errors[("nonsense", False)]
    assert not TrainingSession.objects.exists()


def test_a_report_in_the_future_is_refused_through_sync(world, login):
    client = login(world.users["volunteer"])
    plan = _plan(world, uuid.uuid4())
    later = timezone.localtime() + datetime.timedelta(days=1)
    plan["data"].update(day=later.date().isoformat(), start_time="08:00", end_time="09:00")
    report = {
        "type": "training_report",
        "id": str(uuid.uuid4()),
        "data": {"session_uuid": plan["id"], "attendee_count": "4"},
    }
    results = _post(client, [plan, report]).json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid"]
    assert "tương lai" in json.dumps(results[1]["errors"], ensure_ascii=False)
    assert TrainingSession.objects.get().state == SessionState.PLANNED


def test_sync_rejects_a_body_that_is_not_a_batch(world, login):
    response = login(world.users["volunteer"]).post(
        reverse("trainings:sync"), "{}", content_type="application/json"
    )
    assert response.status_code == 400


def test_a_later_report_that_corrects_the_list_or_notes_is_applied_not_taken_for_a_resend(
    world, login
):
    client = login(world.users["volunteer"])
    plan_id = uuid.uuid4()

    def report(**data):
        fields = {"session_uuid": str(plan_id), "attendee_count": "2", **data}
        return {"type": "training_report", "id": str(uuid.uuid4()), "data": fields}

    first = report(attendees="Nguyễn Văn A\nTrần Thị B", attendees_consent="on")
    assert [r["status"] for r in _post(client, [_plan(world, plan_id), first]).json()["results"]]
    corrected = report(attendees="Nguyễn Văn A\nTrần Thị Bình", attendees_consent="on")
    noted = report(notes="Thiếu máy chiếu")
    results = _post(client, [corrected, noted]).json()["results"]
    assert [r["status"] for r in results] == ["created", "created"]
    session = TrainingSession.objects.get(client_uuid=plan_id)
    assert list(session.attendees.order_by("pk").values_list("name", flat=True)) == [
        "Nguyễn Văn A",
        "Trần Thị Bình",
    ]
    assert session.notes == "Thiếu máy chiếu"
    again = _post(client, [report(notes="Thiếu máy chiếu")]).json()["results"]
    assert again[0]["status"] == "duplicate"


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


def _report(session_uuid, **data) -> dict:
    fields = {"session_uuid": str(session_uuid), "attendee_count": "5", **data}
    return {"type": "training_report", "id": str(uuid.uuid4()), "data": fields}


def _plan_with(world, **data) -> dict:
    plan = _plan(world, uuid.uuid4())
    plan["data"].update(data)
    return plan


BAD_ITEMS = {
    "lone surrogate in a note": lambda w, a: _plan_with(w, notes="Lớp vui \udc00"),
    "an area id past 64 bits": lambda w, a: _plan_with(w, area=2**63),
    "a topic id past 64 bits": lambda w, a: _plan_with(w, topics=[2**63]),
    "a session id past 64 bits": lambda w, a: {**_report(a), "data": {"session": 2**63}},
    "a session id past 64 bits in text": lambda w, a: {
        **_report(a),
        "data": {"session": "9" * 30, "attendee_count": "5"},
    },
    "a year-1 device time": lambda w, a: _report(a, device_time="0001-01-01T00:00:00+07:00"),
    "a deeply nested value": lambda w, a: _plan_with(w, title=_nested(300)),
    "not an object": lambda w, a: 17,
    "an unknown type": lambda w, a: {**_plan_with(w), "type": "training_party"},
    "no id": lambda w, a: {k: v for k, v in _plan_with(w).items() if k != "id"},
    "an id that is not a UUID": lambda w, a: {**_plan_with(w), "id": "plan-1"},
}


@pytest.mark.parametrize("bad", BAD_ITEMS.values(), ids=BAD_ITEMS.keys())
def test_one_bad_item_is_answered_invalid_and_the_good_ones_land(world, login, bad):
    client = login(world.users["volunteer"])
    plan_a, plan_b = uuid.uuid4(), uuid.uuid4()
    items = [_plan(world, plan_a), bad(world, plan_a), _plan(world, plan_b), _report(plan_b)]
    response = _post(client, items)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created", "created"]
    assert all(isinstance(m, str) for ms in results[1]["errors"].values() for m in ms)
    assert TrainingSession.objects.get(client_uuid=plan_a).state == SessionState.PLANNED
    reported = TrainingSession.objects.get(client_uuid=plan_b)
    assert (reported.state, reported.attendee_count) == (SessionState.REPORTED, 5)
    assert TrainingSession.objects.count() == 2


def test_a_report_listed_first_lands_after_its_plan_even_past_the_limit(world, login, monkeypatch):
    """Trainings once cut the batch before ordering it: the plan at the end was dropped while
    its report was kept (and refused). Now the plan goes first and the rest is deferred."""
    from trainings.sync import DOOR

    monkeypatch.setattr(DOOR, "limit", 2)
    client = login(world.users["volunteer"])
    plan_id, other = uuid.uuid4(), uuid.uuid4()
    items = [_report(plan_id), _plan(world, other), _plan(world, plan_id)]
    results = _post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["created", "deferred", "created"]
    assert TrainingSession.objects.get(client_uuid=plan_id).state == SessionState.REPORTED
    assert not TrainingSession.objects.filter(client_uuid=other).exists()
    again = _post(client, [_plan(world, other)]).json()["results"]
    assert again[0]["status"] == "created"


def test_a_body_too_deep_to_read_is_a_400_in_vietnamese(world, login):
    body = '{"items": [' + "{" * 50_000 + "]}"
    response = login(world.users["volunteer"]).post(
        reverse("trainings:sync"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Dữ liệu gửi lên" in response.json()["error"]
