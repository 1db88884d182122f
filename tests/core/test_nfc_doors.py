"""NFC at every door: a form post, a query string and a sync item typed with decomposed
accents (NFD) are stored composed (NFC), as imports already are; passwords stay as typed."""

import json
import unicodedata
import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import NfcFormMiddleware
from core.text import text_nfc_all
from households.models import Visit
from tests.households.factories import household_in
from volunteers.models import Team

pytestmark = pytest.mark.django_db

NAME = "Tổ Định Công"
NFD = unicodedata.normalize("NFD", NAME)


def test_the_one_normaliser_reaches_nested_items():
    value = {"items": [{"data": {NFD: [NFD, 3, None]}}]}
    assert text_nfc_all(value) == {"items": [{"data": {NAME: [NAME, 3, None]}}]}


def test_a_form_post_typed_nfd_is_stored_nfc(world, client):
    assert NFD != NAME
    client.force_login(world.users["ward"])
    client.post(reverse("workspace:team-create", args=[world.ward.pk]), {"name": NFD})
    team = Team.objects.get(ward=world.ward, name=NAME)
    assert unicodedata.is_normalized("NFC", team.name)


def test_the_middleware_normalises_posts_and_queries_but_not_passwords():
    seen = {}

    def view(request):
        seen["post"] = request.POST
        seen["get"] = request.GET
        return None

    request = RequestFactory().post(f"/x/?q={NFD}", {"name": NFD, "password1": NFD})
    NfcFormMiddleware(view)(request)
    assert seen["post"]["name"] == NAME
    assert seen["post"]["password1"] == NFD
    assert seen["get"]["q"] == NAME


def test_a_sync_item_typed_nfd_is_stored_nfc(world, client):
    household = household_in(world.groups[0])
    client.force_login(world.users["volunteer"])
    item = {
        "type": "visit",
        "id": str(uuid.uuid4()),
        "data": {
            "household": household.pk,
            "result": "helped",
            "device_time": "2026-01-10T08:30:00+07:00",
            "notes": f"Hẹn gặp ở {NFD}",
        },
    }
    response = client.post(
        reverse("households:sync"), json.dumps({"items": [item]}), content_type="application/json"
    )
    assert response.json()["results"][0]["status"] == "created"
    assert Visit.objects.get().notes == f"Hẹn gặp ở {NAME}"
