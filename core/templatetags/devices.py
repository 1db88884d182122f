"""{% device_owner_tag user %}: the opaque tag of who the phone's offline data belongs to."""

from django import template

from core.devices import device_owner

register = template.Library()


@register.simple_tag
def device_owner_tag(user) -> str:
    return device_owner(user.pk) if user.is_authenticated else ""
