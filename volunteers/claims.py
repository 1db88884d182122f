"""Claiming a pre-added account: a one-time code, made for that account, handed over in person.

A coordinator who adds a volunteer by phone makes an account without a password. Only the person
holding the code the coordinator was shown (once) may set its first password; the code is
stored as a keyed hash, expires, and works once. Typing the account's phone never claims it.
"""

import datetime
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import AccountClaim, User

CLAIM_DAYS = 7
# No 0/O, 1/I/L: the code is read aloud or copied from a phone screen.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_LENGTH = 12


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _hash(code: str) -> str:
    return salted_hmac("tungnha.account-claim", _normalise(code), algorithm="sha256").hexdigest()


def account_is_claimable(*, user: User) -> bool:
    """Pre-added and never used: no password set and never signed in."""
    return user.is_active and not user.has_usable_password() and user.last_login is None


@transaction.atomic
def claim_issue(*, user: User, created_by: User | None) -> str:
    """A new code for `user` (earlier unused ones stop working); the raw code is returned once."""
    if not account_is_claimable(user=user):
        raise ValidationError(
            _("Tài khoản này đã có mật khẩu hoặc đã đăng nhập: không cần mã nhận tài khoản."),
            code="claimed",
        )
    now = timezone.now()
    AccountClaim.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    AccountClaim.objects.create(
        user=user,
        code_hash=_hash(raw),
        created_by=created_by,
        expires_at=now + datetime.timedelta(days=CLAIM_DAYS),
    )
    return "-".join(raw[i : i + 4] for i in range(0, _LENGTH, 4))


def claim_find(*, code: str) -> AccountClaim | None:
    """The unused, unexpired claim of `code`, or None."""
    if len(_normalise(code)) != _LENGTH:
        return None
    return (
        AccountClaim.objects.filter(
            code_hash=_hash(code), used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .first()
    )


@transaction.atomic
def claim_redeem(*, code: str, password: str) -> User:
    """Set the first password of the account the code was made for, and spend the code."""
    claim = claim_find(code=code)
    if claim is not None:
        claim = AccountClaim.objects.select_for_update().select_related("user").get(pk=claim.pk)
    if claim is None or claim.used_at is not None or not account_is_claimable(user=claim.user):
        raise ValidationError(
            _(
                "Mã nhận tài khoản không đúng, đã dùng hoặc đã hết hạn. "
                "Hãy xin cán bộ phường mã mới."
            ),
            code="invalid",
        )
    user = claim.user
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    claim.used_at = timezone.now()
    claim.save(update_fields=["used_at"])
    return user
