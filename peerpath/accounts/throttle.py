"""Throttling what strangers can make PeerPath do: guess passwords, send e-mails.

- Logging in counts failures per account and per client address; re-entering the password while
  signed in counts against the account. A completed password reset lifts the account's lock.
- Password-reset e-mails are limited per e-mail address and per client address, so nobody can
  flood an inbox or probe addresses at speed.
- "Someone tried to sign up with your address" e-mails are limited per account.

Counts live in Django's cache, so with Redis (REDIS_URL) every web process shares them. Keys hold
a keyed hash of the address or username, never the value itself.
"""

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from peerpath.conf import setting


def _setting(name):
    return setting("LOGIN_THROTTLE", name)


def _key(kind, value):
    digest = salted_hmac("peerpath.accounts.throttle", str(value).strip().lower()).hexdigest()
    return f"peerpath:throttle:{kind}:{digest[:32]}"


def _count(key, window):
    """Add one to the counter at `key`, which lives for `window` seconds from its first count;
    returns the new count. add() starts the window once; incr() is atomic on Redis and locmem."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


def _login_keys(username, address):
    keys = [(_key("login-account", username), _setting("ACCOUNT_FAILURES"))]
    if address is not None:
        keys.append((_key("login-address", address), _setting("ADDRESS_FAILURES")))
    return keys


def is_locked(username, address=None):
    """True when the account (or the address, when given) has used up its failed attempts."""
    keys = _login_keys(username, address)
    counts = cache.get_many([key for key, _ in keys])
    return any(counts.get(key, 0) >= limit for key, limit in keys)


def record_failure(username, address=None):
    for key, _ in _login_keys(username, address):
        _count(key, _setting("WINDOW_SECONDS"))


def reset(username):
    cache.delete(_key("login-account", username))


def lift_lock(user):
    """After a password reset: the account may log in again at once, whichever name (username or
    e-mail address) the failed attempts used."""
    cache.delete_many(
        [_key("login-account", name) for name in {user.get_username(), user.email} if name]
    )


def allow_password_reset(email, address):
    """Count a request for a password-reset e-mail to `email` from client `address`; False once
    either has asked too often in the window (the caller then sends nothing, and says nothing)."""
    window = _setting("RESET_WINDOW_SECONDS")
    per_email = _count(_key("reset-email", email), window)
    per_client = _count(_key("reset-client", address), window)
    return per_email <= _setting("RESETS_PER_EMAIL") and per_client <= _setting("RESETS_PER_CLIENT")


def allow_signup_notice(user):
    """Count a "someone tried to sign up with your address" e-mail to `user`; False over the
    limit, so repeated sign-ups cannot be used to flood the owner's inbox."""
    count = _count(_key("signup-notice", user.pk), _setting("SIGNUP_NOTICE_WINDOW_SECONDS"))
    return count <= _setting("SIGNUP_NOTICES_PER_ACCOUNT")
