"""Login throttling against password guessing, per account and per client address.

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


def is_locked(username, address):
    """True when either the account or the address has used up its failed attempts."""
    counts = cache.get_many([_key("account", username), _key("address", address)])
    return counts.get(_key("account", username), 0) >= _setting("ACCOUNT_FAILURES") or counts.get(
        _key("address", address), 0
    ) >= _setting("ADDRESS_FAILURES")


def record_failure(username, address):
    window = _setting("WINDOW_SECONDS")
    for key in (_key("account", username), _key("address", address)):
        # add() starts the window once; incr() is atomic on Redis and local memory alike.
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def reset(username):
    cache.delete(_key("account", username))
