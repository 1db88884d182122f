"""API keys: made once with the second factor, expiring, stored only as a hash.

A person's key works only while its user keeps a coordination role (and the second factor it
requires) and sees what they see. A service account's key (a system such as the city's IOC)
sees the account's one area and its subtree, whoever made it; accounts are made, rotated and
revoked by the city union holding that area (volunteers.authority)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from volunteers.access import CITY_AND_UP, COORDINATION
from volunteers.authority import Action, authority_may, authority_scope
from volunteers.mfa import mfa_missing
from volunteers.models import User
from volunteers.scoping import Scope, scope_for, user_roles

from .models import API_TOKEN_MAX_DAYS, ApiToken, ServiceAccount, token_hash

# last_used_at is written at most this often: a feed polling every few seconds costs no write.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class ApiPrincipal:
    """Who an API request speaks for: the key, the areas it sees, and (for a person's key) the
    user."""

    token_id: int
    scope: Scope
    user: User | None = None


def _check_days(days: int) -> None:
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("Thời hạn phải từ 1 đến %(max)d ngày.") % {"max": API_TOKEN_MAX_DAYS}},
            code="days",
        )


def _check_mfa(user: User) -> None:
    if mfa_missing(user=user):
        raise ValidationError(
            _("Hãy bật xác thực hai lớp (TOTP) trước khi tạo khóa API."), code="mfa"
        )


def _new_token(*, days: int, **fields: object) -> tuple[ApiToken, str]:
    raw = ApiToken.new_key()
    token = ApiToken(
        prefix=raw[:10],
        key_hash=token_hash(raw),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        **fields,
    )
    token.full_clean()
    token.save()
    return token, raw


def api_token_create(
    *, user: User, name: str, days: int = API_TOKEN_MAX_DAYS
) -> tuple[ApiToken, str]:
    """A new key of `user`'s own; the raw key is returned once and never stored. It expires
    after `days` (90 at most), and is made only by a user with the second factor their role
    requires."""
    _check_mfa(user)
    _check_days(days)
    return _new_token(days=days, user=user, name=name, created_by=user)


def service_scope_for(*, user: User) -> Scope:
    """Where `user` may make and manage service accounts: where they hold the city union's
    role (or everything, for an administrator)."""
    return authority_scope(user=user, roles=CITY_AND_UP)


@transaction.atomic
def service_account_create(
    *, user: User, name: str, scope: Area, days: int = API_TOKEN_MAX_DAYS
) -> tuple[ServiceAccount, ApiToken, str]:
    """A service account over `scope` (one area and its subtree) and its first key."""
    _check_mfa(user)
    _check_days(days)
    if not service_scope_for(user=user).contains(scope):
        raise ValidationError(
            {"scope": _("Chỉ thành đoàn phụ trách địa bàn này mới tạo được tài khoản hệ thống.")},
            code="scope",
        )
    account = ServiceAccount(name=name, scope=scope, created_by=user)
    account.full_clean()
    account.save()
    token, raw = _new_token(days=days, service_account=account, name=name, created_by=user)
    return account, token, raw


def service_accounts_for(*, user: User) -> QuerySet[ServiceAccount]:
    """The service accounts `user` may see on the tokens page: those over their city's areas."""
    scope = service_scope_for(user=user)
    return ServiceAccount.objects.filter(scope.q(field="scope")).select_related("scope")


def tokens_for(*, user: User) -> QuerySet[ApiToken]:
    """The keys `user` may list, rotate and revoke: their own, and those of the service
    accounts they manage."""
    accounts = service_accounts_for(user=user)
    return ApiToken.objects.filter(Q(user=user) | Q(service_account__in=accounts)).select_related(
        "service_account__scope"
    )


def _require_manage(*, user: User, token: ApiToken) -> None:
    if token.user_id is not None:
        if token.user_id != user.pk:
            raise PermissionDenied
        return
    if not authority_may(user=user, action=Action.MANAGE, obj=token.service_account):
        raise PermissionDenied


def _check_rotatable(token: ApiToken) -> None:
    """A revoked key, or any key of a revoked account, stays revoked: rotating it would hand
    out a fresh key for something the city union has switched off."""
    if token.service_account_id is not None and token.service_account.revoked_at is not None:
        raise ValidationError(
            _("Tài khoản hệ thống %(name)s đã bị thu hồi: không đổi khóa được nữa.")
            % {"name": token.service_account.name},
            code="account_revoked",
        )
    if token.revoked_at is not None:
        raise ValidationError(
            _("Khóa %(name)s đã bị thu hồi: hãy tạo khóa mới.") % {"name": token.name},
            code="revoked",
        )


def api_token_revoke(*, token: ApiToken, user: User | None = None) -> None:
    """Revoke a key at once (checked against `user` when given)."""
    if user is not None:
        _require_manage(user=user, token=token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


@transaction.atomic
def api_token_rotate(
    *, token: ApiToken, user: User, days: int = API_TOKEN_MAX_DAYS
) -> tuple[ApiToken, str]:
    """A fresh key for the same owner and name; the old one is revoked at once."""
    _require_manage(user=user, token=token)
    _check_rotatable(token)
    _check_mfa(user)
    _check_days(days)
    api_token_revoke(token=token)
    return _new_token(
        days=days,
        user=token.user,
        service_account=token.service_account,
        name=token.name,
        created_by=user,
    )


@transaction.atomic
def service_account_revoke(*, account: ServiceAccount, user: User) -> ServiceAccount:
    """Switch a system off at once: the account is marked revoked (api_principal refuses every
    key of a revoked account) and so is each of its keys still live, so the list says so key
    by key. Only someone with authority over the account's area (the city union there, or an
    administrator) may; revoking twice keeps the first moment."""
    if not authority_may(user=user, action=Action.MANAGE, obj=account):
        raise PermissionDenied
    account = ServiceAccount.objects.select_for_update().get(pk=account.pk)
    if account.revoked_at is None:
        now = timezone.now()
        account.revoked_at = now
        account.save(update_fields=["revoked_at"])
        account.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    return account


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    # Conditional, so concurrent requests of one key write once a minute between them too.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    ).update(last_used_at=now)


def api_principal(raw: str) -> ApiPrincipal | None:
    """Who a key speaks for, or None: unknown, revoked or expired; a person's key whose user
    no longer holds a coordination role (or lacks the second factor it requires); a service
    account's key whose account was revoked."""
    token = (
        ApiToken.objects.select_related("user", "service_account__scope")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None:
        return None
    if token.user is not None:
        user = token.user
        if not user.is_active or not (user_roles(user) & COORDINATION) or mfa_missing(user=user):
            return None
        principal = ApiPrincipal(
            token_id=token.pk, scope=scope_for(user=user, roles=COORDINATION), user=user
        )
    else:
        account = token.service_account
        if account.revoked_at is not None:
            return None
        principal = ApiPrincipal(token_id=token.pk, scope=Scope(paths=(account.scope.path,)))
    _touch(token)
    return principal


def api_token_user(raw: str) -> User | None:
    """The user a person's key speaks for (None for service accounts and refused keys)."""
    principal = api_principal(raw)
    return principal.user if principal is not None else None
