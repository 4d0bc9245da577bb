"""Confirming an e-mail address: the link we send, what opening it does, and who has confirmed.

A certificate is only issued to an address its owner has confirmed (the gate is in
`certificates.issuing`). The link carries a signed, expiring token naming the account and the
address; it confirms that address only while it is still the account's address. Confirmation is
stored on the profile as the address confirmed and when, so changing the e-mail address anywhere
(the profile, the Wagtail admin) leaves the new one unconfirmed. Sending is throttled per account
in the cache, so with Redis every web process shares the count.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.signals import announce

from .links import CONFIRMATION_SALT, confirmation_setting, link_max_age_days
from .models import Profile, certificate_name_for
from .signals import email_confirmed
from .tasks import send_confirmation_email


def _normalise(email):
    return (email or "").strip().lower()


# --- Who has confirmed -----------------------------------------------------------------------


def has_confirmed_email(user):
    """True when the address on `user`'s account now is the one they confirmed.

    Reads the database (one query), so an address changed since `user` was loaded counts as
    unconfirmed. This is the question the certificate gate asks.
    """
    if user is None or not getattr(user, "pk", None):
        return False
    return (
        Profile.objects.filter(user_id=user.pk, email_verified_at__isnull=False)
        .exclude(verified_email="")
        .alias(current=Lower("user__email"), confirmed=Lower("verified_email"))
        .filter(current=F("confirmed"))
        .exists()
    )


# Where a user object remembers `needs_confirmation` for the rest of the request (an attribute of
# our own, named as ours: never with a leading underscore on a Django object).
NEEDS_CONFIRMATION = "peerpath_needs_confirmation"


def needs_confirmation(user):
    """For templates: does this signed-in user still have to confirm their address?

    Remembered on the user object for the rest of the request, so a page that asks once per
    programme costs one query, not one per programme.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    remembered = getattr(user, NEEDS_CONFIRMATION, None)
    if remembered is None:
        remembered = not has_confirmed_email(user)
        setattr(user, NEEDS_CONFIRMATION, remembered)
    return remembered


def confirmed_at(user):
    """When the user confirmed their current address, or None."""
    profile = Profile.objects.filter(user_id=user.pk).only("verified_email", "email_verified_at")
    profile = profile.first()
    if profile and profile.email_verified_at and profile.verified_email:
        if _normalise(profile.verified_email) == _normalise(user.email):
            return profile.email_verified_at
    return None


@transaction.atomic
def mark_confirmed(user, email=None):
    """Record that `user` confirmed `email` (default: their current address).

    Returns True if this changed anything; subscribers hear `email_confirmed` after the commit.
    Used by the link below, by the demo accounts and by tests; nothing else should call it.
    """
    email = _normalise(email if email is not None else user.email)
    if not email:
        return False
    profile = Profile.objects.select_for_update().filter(user_id=user.pk).first()
    if profile is None:
        profile = Profile(user=user, certificate_name=certificate_name_for(user))
    elif _normalise(profile.verified_email) == email and profile.email_verified_at:
        return False
    profile.verified_email = email
    profile.email_verified_at = timezone.now()
    profile.save()
    if hasattr(user, NEEDS_CONFIRMATION):
        delattr(user, NEEDS_CONFIRMATION)
    transaction.on_commit(lambda: _announce(user, email))
    return True


def _announce(user, email):
    # The confirmation is committed whatever a subscriber does; a failure there (say, issuing
    # a pending certificate) is logged for staff, not shown to the learner as an error page.
    announce(email_confirmed, sender=Profile, user=user, email=email)


# --- The link (made in accounts.links) --------------------------------------------------------


class LinkProblem(Exception):
    """A confirmation link that cannot be used, with a message fit to show its owner."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


INVALID = _(
    "This link does not work. It may have been copied only in part: try opening it from the "
    "e-mail again, or ask for a new link from your profile."
)
EXPIRED = _(
    "This link has expired: links work for %(days)s days. Ask for a new one from your profile."
)
OUTDATED = _(
    "This link was sent to an address that is no longer the one on your account. Use the link "
    "in the most recent e-mail we sent you, or ask for a new one from your profile."
)


def check_link(token):
    """The (user, email) a link confirms, or LinkProblem. Changes nothing."""
    try:
        payload = signing.loads(
            token, salt=CONFIRMATION_SALT, max_age=datetime.timedelta(days=link_max_age_days())
        )
    except signing.SignatureExpired:
        raise LinkProblem(EXPIRED % {"days": link_max_age_days()}) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise LinkProblem(INVALID) from None
    if not isinstance(payload, dict):
        raise LinkProblem(INVALID)
    user_id, email = payload.get("u"), payload.get("e")
    if not isinstance(user_id, int) or not isinstance(email, str) or not email:
        raise LinkProblem(INVALID)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise LinkProblem(INVALID)
    if _normalise(user.email) != email:
        raise LinkProblem(OUTDATED)
    return user, email


# --- Sending ---------------------------------------------------------------------------------


def _key(kind, user_id):
    return f"peerpath:email-confirmation:{kind}:{user_id}"


def may_send(user):
    """Whether another link may be sent to `user` now (read-only)."""
    counts = cache.get_many([_key("recent", user.pk), _key("day", user.pk)])
    return not counts.get(_key("recent", user.pk)) and counts.get(
        _key("day", user.pk), 0
    ) < confirmation_setting("LINKS_PER_DAY")


def send_link(user):
    """Send a confirmation link to `user`'s current address, unless the throttle says wait.

    Returns False (and sends nothing) when a link went out moments ago or too many went out
    today. The e-mail is sent by a background task once the current transaction commits.
    """
    if not user.email or not may_send(user):
        return False
    if not cache.add(
        _key("recent", user.pk), 1, timeout=confirmation_setting("RESEND_INTERVAL_SECONDS")
    ):
        return False  # another request for the same account got here first
    cache.add(_key("day", user.pk), 0, timeout=24 * 60 * 60)
    try:
        cache.incr(_key("day", user.pk))
    except ValueError:
        cache.set(_key("day", user.pk), 1, timeout=24 * 60 * 60)
    # The job carries the account's id only: the worker reads the address when it sends.
    user_id = user.pk
    transaction.on_commit(lambda: send_confirmation_email.enqueue(user_id))
    return True
