"""A per-client rate limit kept in Django's cache, so it holds across web processes and machines.

Fixed windows: the first request in a window creates the counter with the window as its timeout,
later ones increment it atomically (Redis INCR in production).
"""

from django.conf import settings
from django.core.cache import cache

from peerpath.net import client_address

DEFAULT_VERIFY_RATE = (30, 60)


def verify_rate():
    """(requests, seconds) allowed per client on the verification endpoints."""
    return tuple(getattr(settings, "PEERPATH_VERIFY_RATE_LIMIT", DEFAULT_VERIFY_RATE))


def is_rate_limited(request, scope="verify"):
    """Count this request; True if the client has gone over the limit for `scope`."""
    limit, window = verify_rate()
    key = f"peerpath:ratelimit:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        # The window expired between add() and incr(): this request starts a new one.
        cache.add(key, 1, timeout=window)
        return False
    return count > limit
