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
