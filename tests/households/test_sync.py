import json
import uuid

import pytest
from django.urls import reverse

from households.models import Household, Visit

from .factories import household_in

pytestmark = pytest.mark.django_db
URL = "/households/sync/"


def post(client, items):
    return client.post(URL, data=json.dumps({"items": items}), content_type="application/json")


def visit_item(household, item_id=None, **data):
    return {
        "type": "visit",
        "id": str(item_id or uuid.uuid4()),
        "data": {
            "household": household.pk,
            "result": "helped",
            "device_time": "2026-01-10T08:30:00+07:00",
            **data,
        },
    }


def test_sync_url_is_households_sync():
    assert reverse("households:sync") == URL


def test_batch_creates_each_item_once_and_answers_per_item(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    items = [visit_item(household, install_guidance=1), visit_item(household, result="not_home")]
    first = post(client, items).json()["results"]
    again = post(client, items).json()["results"]
    assert [r["status"] for r in first] == ["created", "created"]
    assert [r["code"] for r in again] == [200, 200]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert Visit.objects.count() == 2


def test_changed_payload_under_known_id_is_409_and_nothing_changes(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    item_id = uuid.uuid4()
    post(client, [visit_item(household, item_id, install_guidance=1)])
    (result,) = post(client, [visit_item(household, item_id, install_guidance=2)]).json()["results"]
    assert (result["status"], result["code"]) == ("conflict", 409)
    assert Visit.objects.get(client_uuid=item_id).install_guidance == 1


def test_invalid_items_come_back_with_vietnamese_messages_and_others_still_save(world, login):
    household = household_in(world.groups[0], members=2)
    client = login(world.users["volunteer"])
    items = [
        visit_item(household, install_guidance=-1),
        visit_item(household, device_time="2099-01-01T00:00:00+07:00"),
        visit_item(household, notes="OTP 123456"),
        visit_item(household),
    ]
    results = post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["invalid", "invalid", "invalid", "created"]
    assert "không được âm" in results[0]["errors"]["install_guidance"][0]
    assert "tương lai" in results[1]["errors"]["device_time"][0]
    assert "OTP" in results[2]["errors"]["notes"][0]
    assert Visit.objects.count() == 1


def test_household_made_offline_can_be_named_by_visits_in_the_same_batch(world, login):
    client = login(world.users["volunteer"])
    household_id = uuid.uuid4()
    items = [
        {
            "type": "visit",
            "id": str(uuid.uuid4()),
            "data": {
                "household_uuid": str(household_id),
                "result": "helped",
                "device_time": "2026-01-10T08:30:00+07:00",
            },
        },
        {
            "type": "household",
            "id": str(household_id),
            "data": {"area": world.groups[1].pk, "house_number": "7", "street": "Kim Giang"},
        },
    ]
    results = {r["type"]: r for r in post(client, items).json()["results"]}
    assert results["household"]["status"] == "created"
    assert results["visit"]["status"] == "created"
    household = Household.objects.get(client_uuid=household_id)
    assert household.visits.count() == 1
    assert household.members == 1


def test_household_in_another_ward_is_refused_and_nothing_written(world, login):
    foreign = household_in(world.other_groups[0])
    client = login(world.users["volunteer"])
    household_item = {
        "type": "household",
        "id": str(uuid.uuid4()),
        "data": {"area": world.other_groups[0].pk, "house_number": "1", "street": "X"},
    }
    results = post(client, [visit_item(foreign), household_item]).json()["results"]
    assert {r["status"] for r in results} == {"invalid"}
    assert not Visit.objects.exists()
    assert not Household.objects.filter(house_number="1", street="X").exists()


def test_coordinators_cannot_post_visits(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["ward"])
    assert post(client, [visit_item(household)]).status_code == 403


def test_sync_is_csrf_protected(world, client):
    from django.test import Client

    household = household_in(world.groups[0])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["volunteer"])
    response = post(strict, [visit_item(household)])
    assert response.status_code == 403
    strict.get(reverse("households:list"))
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        URL,
        data=json.dumps({"items": [visit_item(household)]}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_malformed_body_is_400(world, login):
    client = login(world.users["volunteer"])
    response = client.post(URL, data="nope", content_type="application/json")
    assert response.status_code == 400


def test_a_batch_past_the_limit_applies_the_household_first_and_defers_the_rest(world, login):
    """Visits of a household made offline arrive with it however the phone ordered the batch;
    what the limit leaves out is answered "deferred" (sent again), never dropped unanswered."""
    from core.sync import BATCH_LIMIT

    client = login(world.users["volunteer"])
    household_id = uuid.uuid4()
    household = {
        "type": "household",
        "id": str(household_id),
        "data": {
            "area": world.groups[0].pk,
            "house_number": "5",
            "street": "Ngõ Cắt",
            "members": 2,
        },
    }
    visits = [
        {
            "type": "visit",
            "id": str(uuid.uuid4()),
            "data": {"household_uuid": str(household_id), "result": "helped"},
        }
        for _ in range(BATCH_LIMIT)
    ]
    results = post(client, [*visits, household]).json()["results"]
    assert len(results) == BATCH_LIMIT + 1
    assert results[-1]["type"] == "household"  # answered in the request's order
    assert results[-1]["status"] == "created"
    statuses = [r["status"] for r in results[:-1]]
    assert statuses == ["created"] * (BATCH_LIMIT - 1) + ["deferred"]
    assert Visit.objects.count() == BATCH_LIMIT - 1


def test_an_item_that_is_not_an_object_is_answered_invalid(world, login):
    client = login(world.users["volunteer"])
    response = post(client, ["not an item"])
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "invalid"


def test_the_offline_households_page_keeps_its_query_when_it_has_arrived(world, login):
    client = login(world.users["volunteer"])
    household = household_in(world.groups[0], client_uuid=uuid.uuid4())
    response = client.get(f"/households/local/{household.client_uuid}/visit/?outbox=abc")
    assert response.status_code == 302
    assert response["Location"] == f"{household.get_absolute_url()}?outbox=abc"


def test_a_resend_after_the_household_left_the_volunteers_reach_is_still_a_duplicate(world, login):
    """Saved, then the answer was lost, then the assignment ended: the phone may let it go."""
    from volunteers.models import Assignment

    volunteer = world.users["volunteer"]
    household = household_in(world.groups[0])
    client = login(volunteer)
    item = visit_item(household, install_guidance=1)
    assert post(client, [item]).json()["results"][0]["status"] == "created"
    Assignment.objects.create(ward=world.ward, area=world.groups[3], volunteer=volunteer)
    client = login(volunteer)  # a new request: the narrower reach applies
    again = post(client, [item]).json()["results"][0]
    assert again["status"] == "duplicate"
    changed = {**item, "data": {**item["data"], "install_guidance": 2}}
    assert post(client, [changed]).json()["results"][0]["status"] == "conflict"
    assert Visit.objects.count() == 1


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


def _with(item: dict, **data) -> dict:
    return {**item, "data": {**item["data"], **data}}


BAD_VISITS = {
    "lone surrogate in a note": lambda h: visit_item(h, notes="Cô Lan vui \ud83d"),
    "an id past 64 bits": lambda h: _with(visit_item(h), household=2**63),
    "an id past 64 bits in text": lambda h: _with(visit_item(h), household="9" * 30),
    "a teammate id past 64 bits": lambda h: visit_item(h, teammates=[2**63]),
    "a year-1 device time": lambda h: visit_item(h, device_time="0001-01-01T00:00:00+07:00"),
    "a deeply nested value": lambda h: visit_item(h, notes=_nested(200)),
    "not an object": lambda h: ["visit"],
    "an unknown type": lambda h: {**visit_item(h), "type": "party"},
    "no id": lambda h: {k: v for k, v in visit_item(h).items() if k != "id"},
    "an id that is not a UUID": lambda h: {**visit_item(h), "id": "42"},
    "data that is not an object": lambda h: {**visit_item(h), "data": "helped"},
}


@pytest.mark.parametrize("bad", BAD_VISITS.values(), ids=BAD_VISITS.keys())
def test_one_bad_item_is_answered_invalid_and_the_good_ones_land(world, login, bad):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    new_household = {
        "type": "household",
        "id": str(uuid.uuid4()),
        "data": {"area": world.groups[0].pk, "house_number": "12", "street": "Tô Hiệu"},
    }
    items = [visit_item(household), bad(household), new_household]
    response = post(client, items)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    assert all(isinstance(m, str) for ms in results[1]["errors"].values() for m in ms)
    assert Visit.objects.count() == 1
    assert Household.objects.filter(street="Tô Hiệu").count() == 1


def test_a_body_too_deep_to_read_is_a_400_in_vietnamese(world, login):
    client = login(world.users["volunteer"])
    body = '{"items": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "lồng nhau quá sâu" in response.json()["error"]


def test_a_level1_visit_listed_before_its_install_visit_lands_after_it(world, login):
    """Device time, not place in the batch (or client id), decides: the install visit made at
    08:00 lands before the level-1 activation made at 09:00, and both are created."""
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    install = visit_item(
        household,
        uuid.UUID(int=2),
        status_to="app_installed",
        install_guidance=1,
        device_time="2026-01-10T08:00:00+07:00",
    )
    level1 = visit_item(
        household,
        uuid.UUID(int=1),  # sorts first by client id too
        status_to="level1",
        level1_activations=1,
        device_time="2026-01-10T09:00:00+07:00",
    )
    results = post(client, [level1, install]).json()["results"]
    assert [r["status"] for r in results] == ["created", "created"]
    household.refresh_from_db()
    assert household.digital_status == "level1"


def test_save_order_decides_between_visits_made_in_the_same_second(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    install = {**visit_item(household, status_to="app_installed"), "seq": 7}
    level1 = {**visit_item(household, status_to="level1"), "seq": 8}
    results = post(client, [level1, install]).json()["results"]
    assert [r["status"] for r in results] == ["created", "created"]


def test_a_resent_batch_with_a_bad_item_counts_nothing_twice(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    bad = _with(visit_item(household), household=2**63)
    items = [visit_item(household, install_guidance=1), bad]
    first = [r["status"] for r in post(client, items).json()["results"]]
    again = [r["status"] for r in post(client, items).json()["results"]]
    assert (first, again) == (["created", "invalid"], ["duplicate", "invalid"])
    assert Visit.objects.count() == 1
