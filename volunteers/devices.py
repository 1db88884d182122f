"""Signing out clears what the browser keeps of the person (core.devices): the logout's answer
carries `Clear-Site-Data: "cache"` (the browser's HTTP cache), and the page's script removes
the person's pages and outbox from the service worker's caches and IndexedDB once the server
has signed them out (static/js/device.js). "storage" is not sent: it would also remove another
person's unsent work that waits, set aside, on a shared phone for them to sign in again."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CLEARED = '"cache"'


def mark_signed_out(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """user_logged_out (connected in VolunteersConfig.ready): whatever the door."""
    if request is not None:
        request.tungnha_signed_out = True


class ClearDeviceOnLogoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "tungnha_signed_out", False):
            response["Clear-Site-Data"] = CLEARED
        return response
