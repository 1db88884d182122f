"""Vietnamese phone numbers, normalised to +84 form whatever way they were written."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NOT_DIGITS = re.compile(r"[^\d+]")
# After the country code: mobiles have 9 digits (3x, 5x, 7x, 8x, 9x); landlines 10 (2xx…).
_NATIONAL = re.compile(r"^(?:[35789]\d{8}|2\d{9})$")


def normalize_phone(raw: str) -> str:
    """Return the number as +84XXXXXXXXX, or raise ValidationError in the user's language."""
    cleaned = _NOT_DIGITS.sub("", str(raw or "").strip())
    if cleaned.startswith("+84"):
        national = cleaned[3:]
    elif cleaned.startswith("0084"):
        national = cleaned[4:]
    elif cleaned.startswith("84") and len(cleaned) in (11, 12):
        national = cleaned[2:]
    elif cleaned.startswith("0"):
        national = cleaned[1:]
    else:
        national = cleaned
    if not _NATIONAL.match(national):
        raise ValidationError(
            _("Số điện thoại “%(phone)s” không hợp lệ. Ví dụ đúng: 0912 345 678."),
            code="invalid_phone",
            params={"phone": raw},
        )
    return "+84" + national


def display_phone(phone: str) -> str:
    """+84912345678 -> 0912 345 678, the way people read numbers here."""
    if not phone.startswith("+84"):
        return phone
    local = "0" + phone[3:]
    if len(local) == 10:
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    return f"{local[:3]} {local[3:7]} {local[7:]}"


class VietnamPhoneField(forms.CharField):
    """A phone typed any common way (0912 345 678, +84 912…, 84912…), cleaned to +84 form.

    The one form field for a phone number: sign-in, invitations, volunteers and households'
    contacts store the same form of the same number, as imports and the outbox do."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Số điện thoại"))
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        for name, value in {"type": "tel", "inputmode": "tel", "autocomplete": "tel"}.items():
            self.widget.attrs.setdefault(name, value)

    def clean(self, value: str) -> str:
        value = super().clean(value)
        return normalize_phone(value) if value else value
