"""How consent was given: each door that records a consent says how (the form and the phone's
sync ask the volunteer, an import says "import"), and the household's data page shows it."""

import json
import uuid

import pytest
from django.urls import reverse

from households.models import ConsentMethod, Household
from households.services import household_create, household_update
from tests.workspace import files
from workspace.imports.jobs import import_job_confirm, import_job_create

pytestmark = pytest.mark.django_db
CONTACT = {"contact_name": "Trần Văn Hùng", "contact_phone": "0912345678", "consent": "on"}


def test_the_form_records_in_person_by_default(world, login):
    client = login(world.users["volunteer"])
    form = {"area": world.groups[0].pk, "house_number": "5", "street": "Kim Giang", **CONTACT}
    assert client.post(reverse("households:create"), form).status_code == 302
    assert Household.objects.get().consent_method == ConsentMethod.IN_PERSON


def test_the_form_records_a_consent_given_by_phone(world, login):
    client = login(world.users["volunteer"])
    form = {"area": world.groups[0].pk, "house_number": "5", **CONTACT, "consent_method": "phone"}
    assert client.post(reverse("households:create"), form).status_code == 302
    assert Household.objects.get().consent_method == ConsentMethod.PHONE


def test_the_sync_door_records_how(world, login):
    item = {
        "type": "household",
        "id": str(uuid.uuid4()),
        "data": {
            "area": world.groups[0].pk,
            "house_number": "7",
            **CONTACT,
            "consent_method": "phone",
        },
    }
    response = login(world.users["volunteer"]).post(
        "/households/sync/", data=json.dumps({"items": [item]}), content_type="application/json"
    )
    assert response.json()["results"][0]["status"] == "created"
    assert Household.objects.get().consent_method == ConsentMethod.PHONE


def test_an_import_records_import(world, django_capture_on_commit_callbacks):
    job = import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho.xlsx",
        content=files.households_xlsx(2),
        options={"consent_all": True},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_confirm(job=job)
    assert set(Household.objects.values_list("consent_method", flat=True)) == {"import"}


def test_withdrawing_consent_clears_how_and_a_new_consent_says_how(world):
    volunteer = world.users["volunteer"]
    data = {"house_number": "9", "contact_name": "Lê Thị Mai", "contact_phone": "0987654321"}
    household, _created = household_create(
        user=volunteer, area=world.groups[0], data=data, consent=True
    )
    household_update(household=household, user=volunteer, data=data, consent=False)
    household.refresh_from_db()
    assert (household.consent_at, household.consent_method) == (None, "")
    household_update(
        household=household,
        user=volunteer,
        data=data,
        consent=True,
        consent_method=ConsentMethod.PHONE,
    )
    household.refresh_from_db()
    assert household.consent_method == ConsentMethod.PHONE


def test_the_data_page_shows_how(world, login):
    household, _created = household_create(
        user=world.users["volunteer"],
        area=world.groups[0],
        data={"house_number": "3", "contact_name": "Phạm Văn An"},
        consent=True,
        consent_method=ConsentMethod.PHONE,
    )
    page = login(world.users["ward"]).get(reverse("workspace:household-data", args=[household.pk]))
    assert str(ConsentMethod.PHONE.label) in page.content.decode()
