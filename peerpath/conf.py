"""Every setting PeerPath reads, with its default: the one place they are read.

Each is a Django setting named `PEERPATH_<NAME>` (the README's Configuration section lists them).
Apps call `setting("VERIFY_RATE_LIMIT")`, or `setting("LOGIN_THROTTLE", "ACCOUNT_FAILURES")` for one
entry of a dictionary setting, where a site may give only the entries it changes. Settings are read
on each call, so `override_settings` in tests and per-process settings behave as Django's own.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    # How many reverse proxies stand in front of the site (see peerpath/net.py).
    "TRUSTED_PROXY_COUNT": 0,
    # Requests per client per window, as (requests, seconds).
    "VERIFY_RATE_LIMIT": (30, 60),  # public verification and Open Badges
    "HANDOUT_RATE_LIMIT": (20, 60),  # a workshop's public handout PDF
    # Log-in and password-reset throttling (accounts/throttle.py).
    "LOGIN_THROTTLE": {
        "ACCOUNT_FAILURES": 5,  # failed logins for one account…
        "ADDRESS_FAILURES": 20,  # …or from one address…
        "WINDOW_SECONDS": 15 * 60,  # …within this window lock further attempts until it ends.
        "RESETS_PER_EMAIL": 3,  # password-reset e-mails to one address…
        "RESETS_PER_CLIENT": 10,  # …or asked for from one client address…
        "RESET_WINDOW_SECONDS": 60 * 60,  # …within this window; more are silently not sent.
        "SIGNUP_NOTICES_PER_ACCOUNT": 3,  # "someone tried to sign up" e-mails to one account…
        "SIGNUP_NOTICE_WINDOW_SECONDS": 24 * 60 * 60,  # …within this window.
    },
    # E-mail confirmation links (accounts/links.py).
    "EMAIL_CONFIRMATION": {
        "LINK_MAX_AGE_DAYS": 7,  # a confirmation link works for this long…
        "RESEND_INTERVAL_SECONDS": 60,  # …one may be sent this often per account…
        "LINKS_PER_DAY": 5,  # …and no more than this many in a day.
    },
    # The Content-Security-Policy (directive -> sources), and path prefixes it does not cover.
    "CSP": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Training videos are embedded from these hosts only.
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
    "CSP_EXEMPT": ["/admin/"],
    # Path prefixes whose answers must never be stored by shared caches.
    "PRIVATE_PATHS": ["/documents/"],
    # Sessions (peerpath/meetings): how far ahead a series lists dates, when reminders go out,
    # how long participants' contact details are kept after their last session, and the text
    # message backend (a dotted path; the console backend writes messages to standard output).
    "SESSION_HORIZON_DAYS": 120,
    "SESSION_REMINDER_HOURS": 24,
    "PARTICIPANT_RETENTION_DAYS": 90,
    "SMS_BACKEND": "peerpath.sms.ConsoleBackend",
    "BOOKING_RATE_LIMIT": (10, 60),  # bookings per client
    # Check-ins per client: a whole group may check in from one venue's Wi-Fi (one address).
    "CHECK_IN_RATE_LIMIT": (60, 60),
    # Walk-in feedback code look-ups per client (answers from one room may share an address).
    "FEEDBACK_CODE_RATE_LIMIT": (30, 60),
    # Invitations to join an organisation (coordination/invitations.py): how long a link works,
    # how long a settled or expired invitation is kept, and answers to the link per client.
    "INVITATION_DAYS": 14,
    "INVITATION_RETENTION_DAYS": 90,
    "INVITATION_RATE_LIMIT": (20, 60),
    # Open Badges 3.0 signing keys (certificates/keys.py): a folder of private JWK files, made by
    # `manage.py issuer_keys create`, or the keys themselves as a JSON key set (an environment
    # variable in production); the set wins when both are given. Neither is in the database.
    "ISSUER_KEYS_DIR": None,
    "ISSUER_KEYS": None,
    # Checking Open Badges 3.0 credentials (certificates/credential_check.py): checks per client on
    # the public form, and limits on what is fetched from an allowed issuer's host.
    "CREDENTIAL_CHECK_RATE_LIMIT": (10, 60),
    "CREDENTIAL_FETCH": {
        "TIMEOUT_SECONDS": 3,  # for the whole answer, not each read
        "MAX_BYTES": 256 * 1024,  # a key set or status list larger than this is refused
    },
    # App labels whose pages the route cache remembers (peerpath/routing.py).
    "ROUTE_CACHE_APPS": ["home", "peerpath_training", "peerpath_workshops"],
}


def setting(name, key=None):
    """`PEERPATH_<name>`, or its default; with `key`, one entry of a dictionary setting."""
    if name not in DEFAULTS:
        raise ImproperlyConfigured(f"PEERPATH_{name} is not a PeerPath setting.")
    value = getattr(settings, f"PEERPATH_{name}", DEFAULTS[name])
    if key is None:
        return value
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"PEERPATH_{name} must be a dictionary.")
    return value.get(key, DEFAULTS[name][key])
