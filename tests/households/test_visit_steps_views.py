"""Several steps in one visit through the page and the sync protocol; withdrawing a visit
through its page, for each role."""

import json
import uuid

import pytest

from households.models import Visit, VisitStatus

from .factories import household_in, visit_for

pytestmark = pytest.mark.django_db
SYNC = "/households/sync/"


def sync(client, items):
    response = client.post(SYNC, data=json.dumps({"items": items}), content_type="application/json")
    return [result["status"] for result in response.json()["results"]]


def visit_item(household, *, steps, device_time, seq=None):
    item = {
        "type": "visit",
        "id": str(uuid.uuid4()),
        "data": {
            "household": household.pk,
            "result": "helped",
            "status_to": steps,
            "device_time": device_time,
        },
    }
    if seq is not None:
        item["seq"] = seq
    return item


# --- Several steps ---------------------------------------------------------------------------
def test_the_household_page_offers_every_step_still_ahead(world, login):
    household = household_in(world.groups[0], digital_status="app_installed")
    page = login(world.users["volunteer"]).get(household.get_absolute_url())
    offered = [step["value"] for step in page.context["steps"]]
    assert offered == ["level1", "level2_registered", "level2_activated", "uses_online_services"]
    assert 'value="app_installed"' not in page.content.decode()


def test_the_page_form_without_script_moves_the_chain_twice(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    response = client.post(
        f"/households/{household.pk}/visit/",
        {"result": "helped", "status_to": ["app_installed", "level1"], "client_id": uuid.uuid4()},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.digital_status == "level1"
    visit = Visit.objects.get()
    assert (visit.install_guidance, visit.level1_activations) == (1, 1)


def test_the_page_refuses_a_gap_in_vietnamese_and_writes_nothing(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    response = client.post(
        f"/households/{household.pk}/visit/",
        {"result": "helped", "status_to": ["app_installed", "level2_registered"]},
    )
    assert response.status_code == 400
    assert "liền nhau" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_sync_item_with_two_steps_moves_the_chain_twice(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    item = visit_item(
        household, steps=["app_installed", "level1"], device_time="2026-01-10T08:00:00+07:00"
    )
    assert sync(client, [item]) == ["created"]
    household.refresh_from_db()
    assert household.digital_status == "level1"
    assert household.status_changes.count() == 2


def test_a_batch_of_successive_steps_for_one_household_lands_whole(world, login):
    """Made offline one after the other (install + level 1, then level 2 at the police post),
    listed in any order: each visit lands in the order it was made, none is refused."""
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    first = visit_item(
        household, steps=["app_installed", "level1"], device_time="2026-01-10T08:00:00+07:00"
    )
    second = visit_item(
        household, steps=["level2_registered"], device_time="2026-01-10T08:00:00+07:00", seq=9
    )
    first["seq"] = 8
    third = visit_item(
        household, steps=["level2_activated"], device_time="2026-01-10T10:00:00+07:00"
    )
    assert sync(client, [third, second, first]) == ["created"] * 3
    household.refresh_from_db()
    assert household.digital_status == "level2_activated"
    assert sync(client, [third, second, first]) == ["duplicate"] * 3  # resent: nothing twice
    assert household.status_changes.count() == 4


def test_a_sync_item_with_a_step_the_chain_does_not_allow_is_invalid(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    item = visit_item(household, steps=["level1"], device_time="2026-01-10T08:00:00+07:00")
    response = client.post(
        SYNC, data=json.dumps({"items": [item]}), content_type="application/json"
    ).json()["results"][0]
    assert response["status"] == "invalid"
    assert "Đã cài ứng dụng VNeID" in response["errors"]["status_to"][0]
    assert not Visit.objects.exists()


# --- Withdrawal ------------------------------------------------------------------------------
def test_the_author_withdraws_a_visit_from_its_page(world, login):
    volunteer = world.users["volunteer"]
    visit = visit_for(household_in(world.groups[0]), volunteer, install_guidance=1)
    client = login(volunteer)
    page = client.get(f"/households/visits/{visit.pk}/edit/")
    assert "Rút lại lượt thăm này" in page.content.decode()
    response = client.post(f"/households/visits/{visit.pk}/withdraw/", follow=True)
    assert response.redirect_chain[-1][0] == "/households/visits/"
    assert "Đã rút lại lượt thăm" in response.content.decode()
    assert "Đã rút lại" in response.content.decode()  # the badge on the list
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITHDRAWN
    assert response.context["totals"]["overall"]["visits"] == 0


def test_a_team_leader_may_correct_but_not_withdraw_a_members_visit(world, login):
    visit = visit_for(household_in(world.groups[0]), world.users["volunteer"], install_guidance=1)
    client = login(world.users["leader"])
    page = client.get(f"/households/visits/{visit.pk}/edit/")
    assert page.status_code == 200
    assert "Rút lại lượt thăm này" not in page.content.decode()
    assert client.post(f"/households/visits/{visit.pk}/withdraw/").status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.OK


def test_withdrawing_is_a_post_and_a_second_one_is_not_found(world, login):
    volunteer = world.users["volunteer"]
    visit = visit_for(household_in(world.groups[0]), volunteer)
    client = login(volunteer)
    assert client.get(f"/households/visits/{visit.pk}/withdraw/").status_code == 405
    assert client.post(f"/households/visits/{visit.pk}/withdraw/").status_code == 302
    assert client.post(f"/households/visits/{visit.pk}/withdraw/").status_code == 404
    assert client.get(f"/households/visits/{visit.pk}/edit/").status_code == 404


def test_editing_a_two_step_visit_keeps_its_steps_and_the_chain(world, login):
    volunteer = world.users["volunteer"]
    household = household_in(world.groups[0], members=4)
    visit = visit_for(
        household,
        volunteer,
        status_to=["app_installed", "level1"],
        install_guidance=1,
        level1_activations=1,
    )
    client = login(volunteer)
    assert client.get(f"/households/visits/{visit.pk}/edit/").status_code == 200
    response = client.post(
        f"/households/visits/{visit.pk}/edit/",
        {"result": "helped", "install_guidance": 2, "level1_activations": 1},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    household.refresh_from_db()
    assert (visit.install_guidance, visit.status_to) == (2, "level1")
    assert household.digital_status == "level1"
    assert household.status_changes.count() == 2
