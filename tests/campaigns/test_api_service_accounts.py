"""Issue 17: keys for systems — a service account over one area, made by the city union,
listed, rotated and revoked on the tokens page by those with authority over its area."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import ApiToken, ServiceAccount
from campaigns.tokens import api_principal, service_account_create

pytestmark = pytest.mark.django_db

PAGE = "campaigns:api-tokens"


def test_the_city_union_makes_a_service_account_on_the_tokens_page(login, world):
    client = login(world.users["city"])
    response = client.post(
        reverse(PAGE),
        {"action": "create-service", "name": "IOC Hà Nội", "scope": world.city.pk, "days": "30"},
    )
    assert "data-token" in response.content.decode()
    account = ServiceAccount.objects.get()
    assert account.scope == world.city
    token = account.tokens.get()
    assert token.user is None
    assert token.created_by == world.users["city"]


def test_only_the_city_union_makes_service_accounts(login, world):
    for key in ("ward", "district"):
        body = login(world.users[key]).get(reverse(PAGE)).content.decode()
        assert "data-service-form" not in body
        with pytest.raises(ValidationError):
            service_account_create(user=world.users[key], name="x", scope=world.ward)
        login(world.users[key]).post(
            reverse(PAGE), {"action": "create-service", "name": "x", "scope": world.ward.pk}
        )
    assert not ServiceAccount.objects.exists()


def test_rotating_revokes_the_old_key_and_shows_the_new_one(login, world, client):
    _account, token, raw = service_account_create(
        user=world.users["city"], name="IOC", scope=world.city
    )
    page = login(world.users["city"]).post(reverse(PAGE), {"action": "rotate", "token": token.pk})
    assert "data-token" in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_principal(raw) is None
    fresh = ApiToken.objects.get(service_account=token.service_account, revoked_at__isnull=True)
    assert fresh.name == "IOC"


def test_a_ward_cannot_list_rotate_or_revoke_the_citys_service_key(login, world):
    _account, token, _raw = service_account_create(
        user=world.users["city"], name="Trung tâm điều hành TP", scope=world.city
    )
    client = login(world.users["ward"])
    assert "Trung tâm điều hành TP" not in client.get(reverse(PAGE)).content.decode()
    for action in ("rotate", "revoke"):
        response = client.post(reverse(PAGE), {"action": action, "token": token.pk})
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_on_the_page_stops_the_key(login, world, client):
    _account, token, raw = service_account_create(
        user=world.users["city"], name="IOC", scope=world.ward
    )
    assert api_principal(raw) is not None
    login(world.users["city"]).post(reverse(PAGE), {"action": "revoke", "token": token.pk})
    assert api_principal(raw) is None
