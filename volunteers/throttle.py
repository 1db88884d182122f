"""A small fixed-window rate limit on the shared cache, for public forms (QR check-in)."""

from django.core.cache import cache

# The same client address as the sign-in limits: X-Forwarded-For only behind trusted proxies.
from core.clientip import client_ip

__all__ = ["client_ip", "throttle_allows"]


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
