"""A per-client rate limit kept in Django's cache, so it holds across web processes and machines.

Fixed windows: the first request in a window creates the counter with the window as its timeout,
later ones increment it atomically (Redis INCR in production).
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache

DEFAULT_VERIFY_RATE = (30, 60)


def client_address(request):
    """The client's address. Behind N trusted proxies, the Nth address from the right of
    X-Forwarded-For (`PEERPATH_TRUSTED_PROXY_COUNT`, default 0: use REMOTE_ADDR)."""
    proxies = getattr(settings, "PEERPATH_TRUSTED_PROXY_COUNT", 0)
    address = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        # One IPv6 user usually has a whole /64.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


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
