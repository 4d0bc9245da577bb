"""Per-client rate limits kept in Django's cache, so they hold across web processes and machines.

Every limit the site applies is named here, with the setting that overrides it (defaults in
`peerpath/conf.py`), so an operator finds them in one place. Fixed windows: the first request in a window creates the counter with the
window as its timeout, later ones increment it atomically (Redis INCR in production).
"""

from django.core.cache import cache
from django.shortcuts import render

from peerpath.conf import setting
from peerpath.net import client_address

#: scope → the PeerPath setting (requests, seconds) per client that sets it.
LIMITS = {
    # Public certificate verification (the page, the form and the Open Badges endpoints).
    "verify": "VERIFY_RATE_LIMIT",
    # A workshop's public participant handout (a PDF, costly to render the first time).
    "handout": "HANDOUT_RATE_LIMIT",
    # Booking a session (a public form that writes).
    "booking": "BOOKING_RATE_LIMIT",
    # Checking in to a session with the code shown in the room.
    "check_in": "CHECK_IN_RATE_LIMIT",
    # Answering a session's feedback with the walk-in code shown in the room.
    "feedback_code": "FEEDBACK_CODE_RATE_LIMIT",
    # Checking an Open Badges 3.0 credential on the public form (it may fetch keys elsewhere).
    "credential_check": "CREDENTIAL_CHECK_RATE_LIMIT",
    # Answering an invitation to join an organisation (joining, or signing up to join).
    "invitation": "INVITATION_RATE_LIMIT",
}


def rate(scope):
    """(requests, seconds) allowed per client for `scope`."""
    return tuple(setting(LIMITS[scope]))


def is_rate_limited(request, scope):
    """Count this request; True if the client has gone over the limit for `scope`."""
    limit, window = rate(scope)
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


def too_many_requests(request, scope, template_name):
    """The 429 answer for `scope`: `template_name` tells the visitor how long to wait (it gets
    `limit` and `window`), and Retry-After tells their software."""
    limit, window = rate(scope)
    response = render(request, template_name, {"limit": limit, "window": window}, status=429)
    response["Retry-After"] = str(window)
    return response
