"""The one answer to "which address did this request come from?".

Used by allauth (sign-in rate limits, through the account adapter) and by our own throttles
(the QR check-in). `X-Forwarded-For` is believed only behind the number of proxies we run
(setting TRUSTED_PROXY_COUNT, env DJANGO_TRUSTED_PROXY_COUNT, default 0): each proxy appends
the address it saw, so behind N of ours the client is the N-th entry from the right; whatever a
client wrote to the left of it is ignored. With no trusted proxy, or a header shorter than the
chain (the request did not pass through all of them), REMOTE_ADDR is the answer. `X-Real-IP`
and other headers anyone can send are never believed.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address as our own proxies saw it (REMOTE_ADDR without proxies)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    return _valid(hops[-count]) or remote
