"""allauth customised: phone numbers live on User, sign-up is by invitation only."""

import contextlib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from core.clientip import client_ip
from core.phones import VietnamPhoneField, normalize_phone

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by coordinators or by invitation links, never by the public.
        return bool(getattr(request, "session", {}).get("tungnha_invitation"))

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits count by this address: the one rule of core.clientip."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed sign-ins are counted per account *and* address (ACCOUNT_RATE_LIMITS' "key"):
        someone who knows a phone number slows only themselves, never the owner signing in
        from their own phone. The account is named the same however the phone was typed
        (allauth's own key ignores phones, which put every phone sign-in under one key)."""
        login = credentials.get("email") or credentials.get("phone") or ""
        login = login.strip().lower()
        if login and "@" not in login:
            with contextlib.suppress(ValidationError):
                login = normalize_phone(login)
        return f"{login}:{self.get_client_ip(request)}"

    def get_login_stages(self) -> list[str]:
        """Without allauth's phone-verification stage: verification is off (no SMS gateway), and
        the stage turned away every account without a phone, such as an administrator made by
        `createsuperuser` with only an email ("Login stage aborted")."""
        return [
            stage
            for stage in super().get_login_stages()
            if stage != "allauth.account.stages.PhoneVerificationStage"
        ]

    def phone_form_field(self, **kwargs: Any) -> VietnamPhoneField:
        return VietnamPhoneField(**kwargs)

    def set_phone(self, user: User, phone: str, verified: bool) -> None:
        user.phone = normalize_phone(phone)
        user.save(update_fields=["phone"])

    def get_phone(self, user: User) -> tuple[str, bool] | None:
        # Phones are entered by coordinators who know their volunteers: treated as verified.
        return (user.phone, True) if user.phone else None

    def set_phone_verified(self, user: User, phone: str) -> None:
        """Nothing to store: see get_phone."""

    def get_user_by_phone(self, phone: str) -> User | None:
        try:
            return User.objects.get(phone=normalize_phone(phone))
        except (ValidationError, User.DoesNotExist):
            return None

    def send_verification_code_sms(self, user: User, phone: str, code: str, **kwargs) -> None:
        # No SMS gateway is configured; phone verification is switched off in settings.
        raise NotImplementedError("SMS sending is not configured")
