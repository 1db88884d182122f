"""{{ number|phone }}: a stored +84 number the way people here read it (0912 345 678)."""

from django import template

from core.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str | None) -> str:
    return display_phone(value) if value else ""
