"""Issue 11, item 6: `createsuperuser` makes an administrator who can sign in by email or by
phone (before: an email-only administrator was turned away by the phone-verification stage,
with no message), or says what it needs."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from volunteers.models import User
from volunteers.scoping import user_roles

PASSWORD = "quan-tri-2026-xyz"


@pytest.fixture
def _password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)


@pytest.mark.usefixtures("_password")
@pytest.mark.parametrize(
    ("fields", "login"),
    [
        ({"email": "root@tungnha.vn", "phone": ""}, "root@tungnha.vn"),
        ({"email": "root2@tungnha.vn", "phone": "0911 222 333"}, "0911222333"),
    ],
)
def test_an_administrator_made_with_createsuperuser_signs_in(db, fields, login):
    call_command("createsuperuser", "--noinput", full_name="Quản trị", **fields)
    admin = User.objects.get(email=fields["email"])
    assert admin.is_superuser
    assert "admin" in user_roles(admin)
    client = Client()
    response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_createsuperuser_says_what_it_needs(db, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError):
        call_command("createsuperuser", "--noinput", email="", full_name="X", phone="")
    with pytest.raises(ValueError, match="mật khẩu"):
        User.objects.create_superuser(email="x@tungnha.vn", password=None, full_name="X")
    assert not User.objects.filter(is_superuser=True, email__in=["", "x@tungnha.vn"]).exists()
