"""Issue 11, item 4: sign-in limits that hold behind a proxy without locking people out.

The client address comes from X-Forwarded-For only behind the configured number of trusted
proxies; failed sign-ins are limited per account *and* address, and per address with a ceiling
a ward's shared Wi-Fi does not hit. The QR check-in throttle uses the same address.
"""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.clientip import client_ip
from tests.factories import member
from tests.trainings.factories import planned
from trainings.views import checkin as checkin_view
from volunteers.demo import DEMO_PASSWORD
from volunteers.models import Role

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")
PROXY = "10.0.0.2"  # the HTTPS proxy in front of gunicorn: every request arrives from it


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _via_proxy(address: str, spoofed: str = "") -> Client:
    """A phone at `address` behind our one proxy, which appends what it saw to the header."""
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _sign_in(client: Client, login: str, password: str):
    return client.post(LOGIN, {"login": login, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("count", "meta", "expected"),
    [
        (0, {"HTTP_X_FORWARDED_FOR": "1.2.3.4", "HTTP_X_REAL_IP": "5.6.7.8"}, PROXY),
        (1, {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 1.2.3.4"}, "1.2.3.4"),
        (1, {"HTTP_X_REAL_IP": "5.6.7.8"}, PROXY),  # no header from our proxy: not believed
        (2, {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, PROXY),  # shorter than the chain
        (1, {"HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (2, {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.1"}, "1.2.3.4"),
    ],
)
def test_the_client_address_is_believed_only_behind_trusted_proxies(count, meta, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **meta)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(request) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_wrong_passwords_elsewhere_in_the_city_do_not_block_everyone_behind_the_proxy(world):
    """Before: every request came from the proxy's address, and a few wrong passwords anywhere
    blocked every sign-in for a minute."""
    people = [member(world.groups[0], Role.VOLUNTEER) for _ in range(12)]
    for number, person in enumerate(people):
        _sign_in(_via_proxy(f"203.113.1.{number}"), person.phone, "sai-mat-khau")
    client = _via_proxy("203.113.2.50")
    assert _sign_in(client, "0900000006", DEMO_PASSWORD).status_code == 302
    assert _signed_in(client)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_someone_who_knows_a_phone_does_not_lock_its_owner_out(world):
    attacker = _via_proxy("198.51.100.9", spoofed="203.113.0.77")
    for _ in range(8):
        _sign_in(attacker, "0900000006", "doan-mat-khau")
    # ... the attacker himself is held back, even with the right password now:
    assert _sign_in(attacker, "+84 900 000 006", DEMO_PASSWORD).status_code in (200, 429)
    assert not _signed_in(attacker)
    # ... while the owner, on their own phone, signs in (by phone or by email).
    owner = _via_proxy("203.113.0.77")
    assert _sign_in(owner, "0900000006", DEMO_PASSWORD).status_code == 302
    assert _signed_in(owner)


def test_a_forged_forwarded_header_does_not_escape_the_limit_without_a_trusted_proxy(world):
    for number in range(6):
        client = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"1.1.1.{number}")
        _sign_in(client, "0900000006", "doan-mat-khau")
    client = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="1.1.1.99")
    _sign_in(client, "0900000006", DEMO_PASSWORD)
    assert not _signed_in(client)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_class_of_forty_on_one_wifi_behind_the_proxy_signs_in_despite_typos(world):
    people = [member(world.groups[0], Role.VOLUNTEER) for _ in range(40)]
    for person in people[:30]:  # many mistype once
        _sign_in(_via_proxy("203.113.0.7"), person.phone, "mat-khau-sai")
    for person in people:
        client = _via_proxy("203.113.0.7")
        assert _sign_in(client, person.phone, "mat-khau-123").status_code == 302
        assert _signed_in(client)


def test_the_check_in_throttle_ignores_a_forged_real_ip_header(world, monkeypatch):
    monkeypatch.setattr(checkin_view, "CHECKINS_PER_ADDRESS", 3)
    monkeypatch.setattr(checkin_view, "CHECKINS_PER_DEVICE", 100)
    session = planned(user=world.users["volunteer"], area=world.groups[0])
    url = reverse("trainings:checkin", args=[session.checkin_token])
    answers = []
    for number in range(5):
        client = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_REAL_IP=f"1.1.1.{number}")
        response = client.post(url, {"name": f"Người {number}", "consent": "on"})
        answers.append("quá nhiều lần" in response.content.decode())
    assert answers[-1], "a forged X-Real-IP must not give a fresh allowance"
