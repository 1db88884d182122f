"""What a phone keeps (core.devices): pages that show a household's contact or an attendee's
name say no-store, which the browser's cache and the service worker honour; the offline list
stays keepable; every signed-in page names whose the phone's data is; a sync batch of another
person's items is refused whole; signing out clears the browser's cache."""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from core.devices import OWNER_HEADER, device_owner
from households.models import Visit
from tests.trainings.factories import planned
from trainings.models import Attendee, TrainingSession

from .factories import household_in

pytestmark = pytest.mark.django_db

NAME, PHONE = "Nguyễn Thị Lan", "0912345678"


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def contact(world):
    return household_in(
        world.groups[0], contact_name=NAME, contact_phone=PHONE, consent_at=timezone.now()
    )


# --- Pages with a contact are never kept ------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("volunteer", 200),
        ("leader", 200),
        ("ward", 200),
        ("city", 200),
        ("other_ward", 404),
        ("nobody", 403),
    ],
)
def test_the_household_page_with_its_contact_is_never_kept(
    login, world, users, nobody, contact, who, status
):
    user = nobody if who == "nobody" else users[who]
    response = login(user).get(contact.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert NAME in response.content.decode()
        assert no_store(response)


def test_the_household_form_filled_with_the_contact_is_never_kept(login, world, contact):
    client = login(world.users["volunteer"])
    edit = client.get(reverse("households:edit", args=[contact.pk]))
    assert "912" in edit.content.decode()  # the phone, as the form shows it
    assert no_store(edit)
    refused = client.post(reverse("households:visit-create", args=[contact.pk]), {"result": ""})
    assert refused.status_code == 400  # the page again, with its contact
    assert no_store(refused)


def test_the_coordinators_data_page_and_its_file_are_never_kept(login, world, contact):
    client = login(world.users["ward"])
    page = client.get(reverse("workspace:household-data", args=[contact.pk]))
    download = client.get(reverse("workspace:household-data-download", args=[contact.pk]))
    assert (page.status_code, download.status_code) == (200, 200)
    assert no_store(page)
    assert no_store(download)


def test_a_sessions_page_naming_its_attendees_is_never_kept(login, world):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    Attendee.objects.create(session=session, name="Trần Văn Bình", consent=True)
    response = login(volunteer).get(session.get_absolute_url())
    assert "Trần Văn Bình" in response.content.decode()
    assert no_store(response)
    assert TrainingSession.objects.count() == 1


def test_the_offline_list_stays_keepable_and_carries_no_contact(login, world, contact):
    response = login(world.users["volunteer"]).get(reverse("households:mine"))
    assert not no_store(response)  # the service worker keeps it for the list offline
    assert "no-cache" in response["Cache-Control"]  # and it is always asked again online
    assert "private" in response["Cache-Control"]
    body = json.dumps(response.json(), ensure_ascii=False)
    assert contact.street in body
    assert NAME not in body
    assert "912" not in body
    listed = login(world.users["volunteer"]).get(reverse("households:list"))
    assert not no_store(listed)  # the list page shows addresses only
    assert NAME not in listed.content.decode()


# --- Whose the phone's data is ------------------------------------------------------------------
def test_every_signed_in_page_names_its_person_by_an_opaque_tag(client, login, world):
    anonymous = client.get(reverse("account_login")).content.decode()
    assert 'name="tungnha-owner"' not in anonymous
    tags = {}
    for key in ("volunteer", "volunteer2"):
        page = login(world.users[key]).get(reverse("households:list")).content.decode()
        tag = device_owner(world.users[key].pk)
        assert f'<meta name="tungnha-owner" content="{tag}">' in page
        assert str(world.users[key].pk) != tag
        tags[key] = tag
    assert tags["volunteer"] != tags["volunteer2"]


def _batch(client, household, owner: str | None):
    headers = {OWNER_HEADER: owner} if owner is not None else {}
    item = {
        "type": "visit",
        "id": str(uuid.uuid4()),
        "data": {"household": household.pk, "result": "helped"},
    }
    return client.post(
        reverse("households:sync"),
        json.dumps({"items": [item]}),
        content_type="application/json",
        headers=headers,
    )


def test_a_batch_of_another_persons_items_is_refused_whole(login, world):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer2"])
    refused = _batch(client, household, device_owner(world.users["volunteer"].pk))
    assert refused.status_code == 409
    assert refused.json()["code"] == "owner"
    assert not Visit.objects.exists()  # nothing recorded in volunteer2's name
    trainings = client.post(
        reverse("trainings:sync"),
        json.dumps({"items": []}),
        content_type="application/json",
        headers={OWNER_HEADER: device_owner(world.users["volunteer"].pk)},
    )
    assert trainings.status_code == 409  # the one protocol, for every app's items


@pytest.mark.parametrize("named", ["own", "none"])
def test_a_batch_of_ones_own_items_or_naming_nobody_lands(login, world, named):
    household = household_in(world.groups[0])
    user = world.users["volunteer"]
    owner = device_owner(user.pk) if named == "own" else None
    response = _batch(login(user), household, owner)
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["created"]
    assert Visit.objects.get().volunteer == user


# --- Signing out -------------------------------------------------------------------------------
def test_signing_out_clears_the_browsers_cache(login, world):
    client = login(world.users["volunteer"])
    assert "Clear-Site-Data" not in client.get(reverse("households:list"))
    assert "Clear-Site-Data" not in client.get(reverse("account_logout"))  # the question only
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert client.get(reverse("households:list")).status_code == 302  # signed out indeed
