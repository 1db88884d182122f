"""The bearer key, the per-key rate limit, and the limit on bad keys per client address.

A request with a key never touches the session: the principal is `request.auth`, and
`request.user` stays whoever the cookies say (nobody, for a system), so no session row is made.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from core.clientip import client_ip
from volunteers.throttle import throttle_wait

from ..tokens import ApiPrincipal, api_principal
from .errors import ApiError

# requests per window, window in seconds; overridable in settings.
DEFAULT_RATE = (120, 60)
DEFAULT_BAD_KEY_RATE = (10, 60)


def _limits(name: str, default: tuple[int, int]) -> tuple[int, int]:
    return tuple(getattr(settings, name, default))


def _limited(wait: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        _("Quá nhiều yêu cầu. Hãy thử lại sau %(seconds)d giây.") % {"seconds": wait},
        headers={"Retry-After": str(wait)},
    )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`. 120 requests a minute per key (TUNGNHA_API_RATE);
    an address that sent 10 bad keys within a minute is refused for the rest of it
    (TUNGNHA_API_BAD_KEY_RATE), whatever key it sends."""

    def __call__(self, request: HttpRequest) -> ApiPrincipal | None:
        header = request.headers.get(self.header, "")
        if not header:
            return None
        limit, period = _limits("TUNGNHA_API_BAD_KEY_RATE", DEFAULT_BAD_KEY_RATE)
        address_key = f"api-bad-key:{client_ip(request)}"
        wait = throttle_wait(key=address_key, limit=limit, period_seconds=period, hit=False)
        if wait:
            raise _limited(wait)
        scheme, _sep, raw = header.partition(" ")
        raw = raw.strip()
        principal = None
        if scheme.lower() == "bearer" and raw and len(raw) <= 200 and raw.isascii():
            principal = self.authenticate(request, raw)
        if principal is None:
            wait = throttle_wait(key=address_key, limit=limit, period_seconds=period)
            if wait:
                raise _limited(wait)
            return None
        limit, period = _limits("TUNGNHA_API_RATE", DEFAULT_RATE)
        wait = throttle_wait(
            key=f"api-key:{principal.token_id}", limit=limit, period_seconds=period
        )
        if wait:
            raise _limited(wait)
        return principal

    def authenticate(self, request: HttpRequest, token: str) -> ApiPrincipal | None:
        return api_principal(token)
