"""Login by phone or email, clear messages, rate limits, MFA for coordinators, deactivation."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "login_as", ["0900000006", "+84 900 000 006", "84900000006", "tnv@tungnha.vn"]
)
def test_volunteer_logs_in_by_phone_in_any_format_or_by_email(client, world, login_as):
    response = client.post(LOGIN, {"login": login_as, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == world.users["volunteer"]


def test_wrong_password_gives_a_clear_vietnamese_message_and_no_session(client, world):
    response = client.post(LOGIN, {"login": "0900000006", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_are_rate_limited(client, world):
    for _ in range(5):
        client.post(LOGIN, {"login": "0900000006", "password": "sai-mat-khau"})
    response = client.post(LOGIN, {"login": "0900000006", "password": DEMO_PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_a_whole_class_signs_in_from_one_address_within_a_minute(world):
    """Forty phones on a ward office's Wi-Fi: none is turned away (allauth's default: 30)."""
    from django.test import Client

    for _ in range(40):
        client = Client(REMOTE_ADDR="203.113.0.7")
        response = client.post(LOGIN, {"login": "0900000006", "password": DEMO_PASSWORD})
        assert response.status_code == 302


def test_public_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_home_in_vietnamese_by_default(login, users):
    response = login(users["volunteer"]).get(reverse("home"))
    assert "Xin chào" in response.content.decode()
    assert 'lang="vi"' in response.content.decode()


def test_language_switch_is_remembered_on_the_account(login, users):
    client = login(users["volunteer"])
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    users["volunteer"].refresh_from_db()
    assert users["volunteer"].preferred_language == "en"


def test_user_without_membership_sees_a_page_that_says_so(login, nobody):
    response = login(nobody).get(reverse("home"))
    assert response.status_code == 200
    assert "chưa được giao vai trò" in response.content.decode()


def test_each_role_home_shows_only_its_own_area(login, users):
    body = login(users["ward"]).get(reverse("home")).content.decode()
    assert "Phường Định Công" in body
    assert "Phường Hoàng Liệt" not in body


def test_coordinators_home_leads_to_the_workspace_and_a_volunteers_does_not(login, users):
    button = f'<a class="button" href="{reverse("workspace:index")}">Mở trang điều phối</a>'
    assert button in login(users["ward"]).get(reverse("home")).content.decode()
    assert button not in login(users["volunteer"]).get(reverse("home")).content.decode()


@override_settings(TUNGNHA_MFA_REQUIRED=True)
def test_coordinator_must_enrol_totp_when_required(login, users):
    response = login(users["ward"]).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


@override_settings(TUNGNHA_MFA_REQUIRED=True)
def test_coordinator_with_totp_passes(login, users):
    Authenticator.objects.create(
        user=users["ward"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert login(users["ward"]).get(reverse("home")).status_code == 200


@override_settings(TUNGNHA_MFA_REQUIRED=True)
def test_volunteers_are_not_forced_into_mfa(login, users):
    assert login(users["volunteer"]).get(reverse("home")).status_code == 200


def test_deactivation_ends_existing_sessions(client, world):
    volunteer = world.users["volunteer2"]
    client.post(LOGIN, {"login": "0900000007", "password": DEMO_PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    volunteer.is_active = False
    volunteer.save()
    assert not [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(volunteer.pk)
    ]
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_session_is_renewed_by_use_but_not_written_on_every_request(client, world):
    from volunteers.middleware import SessionActivityMiddleware

    client.post(LOGIN, {"login": "0900000006", "password": DEMO_PASSWORD})
    key = SessionActivityMiddleware.KEY
    client.get(reverse("home"))
    first_touch = client.session[key]
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    client.get(reverse("home"))
    session = Session.objects.get(session_key=client.session.session_key)
    assert client.session[key] == first_touch
    assert session.expire_date == expiry
    # Past the interval, the next request renews the expiry.
    stored = client.session
    stored[key] = first_touch - SessionActivityMiddleware.TOUCH_INTERVAL - 1
    stored.save()
    client.get(reverse("home"))
    assert Session.objects.get(session_key=client.session.session_key).expire_date > expiry


def test_login_field_offers_saved_phones_as_well_as_emails(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'autocomplete="username"' in page
    assert 'autocomplete="email"' not in page
