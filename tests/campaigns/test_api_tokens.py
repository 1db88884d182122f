"""Issue 11, item 5: API tokens expire, need the second factor the role requires, and stop
working when their user loses the role; a campaign page names no other area's campaign."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ApiToken, Campaign
from campaigns.services import api_token_create
from volunteers.models import Membership

CURRENT = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def _get(client, raw: str):
    return client.get(
        reverse("campaigns:api-campaigns"), headers={"Authorization": f"Bearer {raw}"}
    )


def _totp(user) -> None:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


def test_a_token_expires_after_ninety_days_at_the_most(client, world):
    token, raw = api_token_create(user=world.users["city"], name="IOC")
    assert token.expires_at - timezone.now() <= datetime.timedelta(days=90)
    assert token.expires_at - timezone.now() > datetime.timedelta(days=89)
    assert _get(client, raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert _get(client, raw).status_code == 401
    with pytest.raises(ValidationError):
        api_token_create(user=world.users["city"], name="IOC", days=91)


def test_the_token_list_shows_when_each_key_expires(login, world):
    client = login(world.users["city"])
    response = client.post(
        reverse("campaigns:api-tokens"), {"action": "create", "name": "IOC", "days": "30"}
    )
    token = ApiToken.objects.get(user=world.users["city"])
    assert (token.expires_at.date() - timezone.now().date()).days in (29, 30)
    assert timezone.localtime(token.expires_at).strftime("%d/%m/%Y") in response.content.decode()


@override_settings(TUNGNHA_MFA_REQUIRED=True)
def test_a_coordinator_without_totp_cannot_make_or_use_a_token(client, world):
    ward = world.users["ward"]
    with pytest.raises(ValidationError):
        api_token_create(user=ward, name="Phường")
    assert not ApiToken.objects.filter(user=ward).exists()
    _totp(ward)
    _token, raw = api_token_create(user=ward, name="Phường")
    assert _get(client, raw).status_code == 200
    Authenticator.objects.filter(user=ward).delete()  # TOTP switched off: the key stops too
    assert _get(client, raw).status_code == 401


def test_a_token_stops_working_when_its_user_loses_the_role(client, world):
    ward = world.users["ward"]
    _token, raw = api_token_create(user=ward, name="Phường")
    assert _get(client, raw).status_code == 200
    Membership.objects.filter(user=ward).update(is_active=False)
    assert _get(client, raw).status_code == 401


def test_a_ward_campaign_page_does_not_name_another_wards_overlapping_campaign(login, world):
    city = Campaign.objects.create(
        name="Chiến dịch thành phố", start=CURRENT[0], end=CURRENT[1], scope=world.city
    )
    other = Campaign.objects.create(
        name="Chiến dịch riêng Hoàng Liệt", start=CURRENT[0], end=CURRENT[1], scope=world.other_ward
    )
    client = login(world.users["ward"])
    body = client.get(city.get_absolute_url(), follow=True).content.decode()
    assert other.name not in body
    assert other.get_absolute_url() not in body
    # The city union, who sees both, is still told of the overlap.
    city_body = login(world.users["city"]).get(city.get_absolute_url(), follow=True)
    assert other.name in city_body.content.decode()
