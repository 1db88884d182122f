from django import forms
from django.utils.translation import gettext_lazy as _

from core.phones import normalize_phone


class VietnamPhoneField(forms.CharField):
    """A phone typed any common way (0912 345 678, +84 912…, 84912…), cleaned to +84 form."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Số điện thoại"))
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value: str) -> str:
        value = super().clean(value)
        return normalize_phone(value) if value else value
