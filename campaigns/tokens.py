"""API keys for the city's operations centre: made once with the second factor, expiring,
working only while their user keeps a coordination role."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from volunteers.access import COORDINATION
from volunteers.mfa import mfa_missing
from volunteers.models import User
from volunteers.scoping import user_roles

from .models import API_TOKEN_MAX_DAYS, ApiToken, token_hash


def api_token_create(
    *, user: User, name: str, days: int = API_TOKEN_MAX_DAYS
) -> tuple[ApiToken, str]:
    """A new token; the raw key is returned once and never stored. It expires after `days`
    (90 at most), and is made only by a user with the second factor their role requires."""
    if mfa_missing(user=user):
        raise ValidationError(
            _("Hãy bật xác thực hai lớp (TOTP) trước khi tạo khóa API."), code="mfa"
        )
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("Thời hạn phải từ 1 đến %(max)d ngày.") % {"max": API_TOKEN_MAX_DAYS}},
            code="days",
        )
    raw = ApiToken.new_key()
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[:10],
        key_hash=token_hash(raw),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def api_token_user(raw: str) -> User | None:
    """The user a key speaks for, or None: revoked, expired, or its user no longer holds a
    coordination role (or lacks the second factor that role requires)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=token_hash(raw),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    if not (user_roles(token.user) & COORDINATION) or mfa_missing(user=token.user):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
