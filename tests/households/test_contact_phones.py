"""A household's contact phone is stored in one form (+84) whichever door it came in by."""

import importlib
import uuid

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from households.models import Household

from .factories import household_in

pytestmark = pytest.mark.django_db

_migration = importlib.import_module("households.migrations.0002_contact_phones_normalised")


def _form(world, phone: str) -> dict:
    return {
        "area": world.groups[1].pk,
        "house_number": "7",
        "alley": "Ngõ 3",
        "members": 2,
        "consent": "on",
        "contact_name": "Bà Lan",
        "contact_phone": phone,
    }


def test_the_household_form_stores_a_phone_typed_with_spaces_in_plus84_form(world, login):
    client = login(world.users["volunteer"])
    response = client.post(reverse("households:create"), _form(world, "0912 345 678"))
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.contact_phone == "+84912345678"
    page = client.get(household.get_absolute_url()).content.decode()
    assert "0912 345 678" in page


def test_the_household_form_refuses_a_number_that_is_no_phone_and_saves_nothing(world, login):
    client = login(world.users["volunteer"])
    response = client.post(reverse("households:create"), _form(world, "12345"))
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    assert not Household.objects.exists()


def test_the_outbox_stores_the_same_number_the_same_way(world, login):
    client = login(world.users["volunteer"])
    item = {"type": "household", "id": str(uuid.uuid4()), "data": _form(world, "84 912.345.678")}
    response = client.post(
        reverse("households:sync"), {"items": [item]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Household.objects.get().contact_phone == "+84912345678"


def test_the_upgrade_rewrites_phones_stored_as_typed_and_leaves_the_unreadable(world):
    typed = household_in(world.groups[0], contact_phone="0912 345 678", consent_at=timezone.now())
    odd = household_in(world.groups[0], contact_phone="12 34", consent_at=timezone.now())
    _migration._normalise(django_apps, None)
    typed.refresh_from_db()
    odd.refresh_from_db()
    assert (typed.contact_phone, odd.contact_phone) == ("+84912345678", "12 34")
