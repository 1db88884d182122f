"""What a phone keeps of people's data, and whose it is.

A volunteer's phone keeps pages (the service worker's page cache, static/js/sw.js) and the
outbox (IndexedDB, static/js/outbox.js) so that the work goes on without a signal. A phone may
be shared or lost, and households are people (Law 91/2025/QH15):

- a page that shows a household's contact or an attendee's name is never kept: its view is
  wrapped in `keep_off_device`, whose `Cache-Control: no-store` the browser's cache and the
  service worker both honour (offline, the volunteer's list and visit form come from the
  compact list, which carries addresses only);
- what the phone keeps belongs to one person: every signed-in page names them by an opaque tag
  (`device_owner`), and the outbox sets aside another person's pages and items when someone
  else signs in on the phone (a sync batch names its owner in OWNER_HEADER, refused for another
  account); signing out removes the person's own (volunteers.devices).
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac

# The header a sync batch names its owner's tag in (static/js/outbox.js).
OWNER_HEADER = "X-Tungnha-Device-Owner"


def device_owner(user_id: int) -> str:
    """An opaque tag of a person for the phone's data: stable, and telling nothing of who."""
    return salted_hmac("tungnha.device-owner", str(user_id), algorithm="sha256").hexdigest()[:24]


def keep_off_device(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page (or file) shows people's contact details or names: no copy is kept on the
    device, neither by the browser's cache nor by the service worker."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate
        return response

    return wrapped
