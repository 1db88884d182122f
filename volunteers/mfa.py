"""Which users must use a second factor, and whether they do: one rule for the pages
(MfaRequiredMiddleware) and for what outlives a session (API tokens)."""

from django.conf import settings

from .models import COORDINATOR_ROLES, User
from .scoping import user_roles


def mfa_required_for(*, user: User) -> bool:
    """Ward coordinators and above, where the deployment requires MFA (production does)."""
    return bool(settings.TUNGNHA_MFA_REQUIRED and user_roles(user) & COORDINATOR_ROLES)


def mfa_enrolled(*, user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_missing(*, user: User) -> bool:
    """The user's role requires TOTP and they have not enrolled it."""
    return mfa_required_for(user=user) and not mfa_enrolled(user=user)
