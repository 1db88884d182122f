"""allauth customised: phone numbers live on User, sign-up is by invitation only."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core.phones import VietnamPhoneField, normalize_phone

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by coordinators or by invitation links, never by the public.
        return bool(getattr(request, "session", {}).get("tungnha_invitation"))

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
