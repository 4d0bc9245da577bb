"""Throttling against password guessing, per account and per client address.

Logging in counts both; re-entering the password while signed in counts against the account.

Counts live in Django's cache, so with Redis (REDIS_URL) every web process shares them.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {
    "ACCOUNT_FAILURES": 5,  # failed logins for one account…
    "ADDRESS_FAILURES": 20,  # …or from one address…
    "WINDOW_SECONDS": 15 * 60,  # …within this window lock further attempts until it ends.
}


def _setting(name):
    return getattr(settings, "PEERPATH_LOGIN_THROTTLE", {}).get(name, DEFAULTS[name])


def _key(kind, value):
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"peerpath:login-failures:{kind}:{digest}"


def _keys(username, address):
    keys = [(_key("account", username), _setting("ACCOUNT_FAILURES"))]
    if address is not None:
        keys.append((_key("address", address), _setting("ADDRESS_FAILURES")))
    return keys


def is_locked(username, address=None):
    """True when the account (or the address, when given) has used up its failed attempts."""
    keys = _keys(username, address)
    counts = cache.get_many([key for key, _ in keys])
    return any(counts.get(key, 0) >= limit for key, limit in keys)


def record_failure(username, address=None):
    window = _setting("WINDOW_SECONDS")
    for key, _ in _keys(username, address):
        # add() starts the window once; incr() is atomic on Redis and local memory alike.
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def reset(username):
    cache.delete(_key("account", username))
