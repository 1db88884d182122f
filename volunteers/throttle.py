"""Small fixed-window rate limits on the shared cache: public forms (QR check-in), and the API's
limits per key and per client address (`throttle_wait`, which also says how long to wait)."""

import math
import time

from django.core.cache import cache

# The same client address as the sign-in limits: X-Forwarded-For only behind trusted proxies.
from core.clientip import client_ip

__all__ = ["client_ip", "throttle_allows", "throttle_wait"]


def throttle_allows(*, key: str, limit: int, period_seconds: int) -> bool:
    """Count one hit on `key`; False once more than `limit` hits fell in the current window."""
    cache_key = f"throttle:{key}"
    cache.add(cache_key, 0, timeout=period_seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds)
        hits = 1
    return hits <= limit


def throttle_wait(*, key: str, limit: int, period_seconds: int, hit: bool = True) -> int:
    """A fixed window aligned on the clock (so the wait can be told): count one hit on `key`
    (unless `hit` is False: only look) and answer 0 while at most `limit` hits fell in the
    current window, else the seconds until the next one (for a Retry-After header)."""
    now = time.time()
    window = int(now // period_seconds)
    cache_key = f"throttle:{key}:{window}"
    if hit:
        cache.add(cache_key, 0, timeout=period_seconds + 1)
        try:
            hits = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=period_seconds + 1)
            hits = 1
    else:
        hits = cache.get(cache_key, 0)
    if hits <= limit:
        return 0
    return max(1, math.ceil((window + 1) * period_seconds - now))
