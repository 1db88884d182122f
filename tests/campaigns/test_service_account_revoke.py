"""A service account is revoked on the tokens page by whoever has authority over its area (the
city union there, an administrator): every key of it stops at once, and the page says so. Every
other role is refused and changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.models import ApiToken, ServiceAccount
from campaigns.tokens import (
    api_principal,
    api_token_rotate,
    service_account_create,
    service_account_revoke,
)
from tests.factories import UserFactory
from volunteers.models import Membership, Role

pytestmark = pytest.mark.django_db

PAGE = "campaigns:api-tokens"


@pytest.fixture
def account(world):
    """The city's IOC with two live keys (the first rotated into a second account key)."""
    account, _token, raw = service_account_create(
        user=world.users["city"], name="IOC Hà Nội", scope=world.city
    )
    _second, raw2 = api_token_rotate(token=_token, user=world.users["city"])
    account.raws = [raw, raw2]
    return account


def _revoke(client, account):
    return client.post(reverse(PAGE), {"action": "revoke-service", "account": account.pk})


@pytest.mark.parametrize("who", ["city", "admin"])
def test_revoking_a_service_account_on_the_page_stops_every_key_at_once(
    login, world, who, account, client
):
    live = account.raws[1]
    assert api_principal(live) is not None
    page = login(world.users[who])
    assert 'value="revoke-service"' in page.get(reverse(PAGE)).content.decode()

    response = _revoke(page, account)

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.revoked_at is not None
    assert api_principal(live) is None  # stopped at once, not at its expiry
    assert not ApiToken.objects.filter(service_account=account, revoked_at__isnull=True).exists()
    # The API answers 401 to the key from now on.
    api = client.get(
        reverse("campaigns:api-campaigns"), headers={"Authorization": f"Bearer {live}"}
    )
    assert api.status_code == 401
    body = page.get(reverse(PAGE)).content.decode()
    row = body.split(f'data-service-account="{account.pk}"')[1].split("</li>")[0]
    assert "data-revoked" in row
    assert "đã thu hồi lúc" in row
    assert 'value="revoke-service"' not in row  # nothing more to do with it
    assert "tài khoản hệ thống đã thu hồi" in body  # its keys say why they stopped


@pytest.mark.parametrize("who", ["district", "ward", "other_ward", "leader", "volunteer"])
def test_no_other_role_can_revoke_the_citys_service_account(login, world, who, account):
    client = login(world.users[who])
    response = _revoke(client, account)
    # Coordinators never see it (404); field roles may not open the page at all (403).
    assert response.status_code in (403, 404)
    assert response.status_code == (404 if who in {"district", "ward", "other_ward"} else 403)
    account.refresh_from_db()
    assert account.revoked_at is None
    assert all(api_principal(raw) is not None for raw in account.raws[1:])
    if response.status_code == 404:
        assert 'value="revoke-service"' not in client.get(reverse(PAGE)).content.decode()


def test_a_city_union_elsewhere_cannot_revoke_an_account_over_another_area(login, world, account):
    """The city union of the pre-2025 city holds no authority over today's city's account."""
    legacy_only = UserFactory(full_name="Thành đoàn (địa giới cũ)")
    Membership.objects.create(user=legacy_only, role=Role.CITY_UNION, area=world.legacy_city)
    response = _revoke(login(legacy_only), account)
    assert response.status_code == 404
    account.refresh_from_db()
    assert account.revoked_at is None
    with pytest.raises(PermissionDenied):
        service_account_revoke(account=account, user=legacy_only)


def test_revoking_twice_keeps_the_first_moment(world, account):
    first = service_account_revoke(account=account, user=world.users["city"]).revoked_at
    again = service_account_revoke(account=account, user=world.users["city"]).revoked_at
    assert first == again


def test_a_revoked_accounts_key_cannot_be_rotated_back_to_life(login, world, account):
    service_account_revoke(account=account, user=world.users["city"])
    token = account.tokens.order_by("-created_at").first()
    with pytest.raises(ValidationError):
        api_token_rotate(token=token, user=world.users["city"])
    response = login(world.users["city"]).post(
        reverse(PAGE), {"action": "rotate", "token": token.pk}, follow=True
    )
    assert "đã bị thu hồi" in response.content.decode()
    assert 'data-token"' not in response.content.decode()  # no new key shown
    assert not ApiToken.objects.filter(service_account=account, revoked_at__isnull=True).exists()
    assert ServiceAccount.objects.get(pk=account.pk).revoked_at is not None
