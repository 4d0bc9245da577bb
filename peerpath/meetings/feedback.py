"""Anonymous feedback from participants: the one home of its rules.

Once a session is completed (`attendance.complete_session`), everyone with a confirmed place who
came and can still be reached is sent a one-time link (`request_feedback`, run once per session):
three statements on a 5-point scale and an optional comment. People who came without booking
answer with the session's walk-in code, shown in the room at the end (`submit_with_code`), up to as
many answers as there were walk-ins.

Nothing joins an answer to a person. The link's token is random, signed with the site's secret key
(so a made-up link is told apart from a used one without a database look-up), and exists only in
the message: the database keeps its SHA-256 and the session in a `FeedbackInvitation`, with no
booking, no address and no time it was made, created in a shuffled order. Answering deletes the
invitation in the same transaction that stores the `FeedbackResponse`, which keeps the day it came,
never the time. So the link works once, and afterwards there is nothing left to compare.
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from peerpath.certificates.links import absolute_url

from . import notifications
from .choices import BookingStatus, SessionStatus
from .codes import code_is, normalise_code
from .models import CHECK_IN_LENGTH, FeedbackInvitation, FeedbackResponse, Session
from .refusals import Refused

logger = logging.getLogger(__name__)

#: How long a feedback link works after it is sent.
FEEDBACK_DAYS = 14
#: How long after the session's end its walk-in code still works.
WALK_IN_DAYS = 7
#: The answers to each statement, from the least to the most agreement.
SCALE = (
    (1, gettext_lazy("Strongly disagree")),
    (2, gettext_lazy("Disagree")),
    (3, gettext_lazy("Neither agree nor disagree")),
    (4, gettext_lazy("Agree")),
    (5, gettext_lazy("Strongly agree")),
)
COMMENT_MAX_LENGTH = 1000
# A token is 43 characters, a dot and a 43-character signature; anything much longer is junk.
MAX_TOKEN_LENGTH = 120
SALT = "peerpath.meetings.feedback"


class FeedbackRefused(Refused):
    """Feedback that cannot be given. Codes: "unknown" (a made-up link), "used" (used, or expired
    and removed), "expired", "cancelled", "closed" (the walk-in code is not open), "full" (every
    walk-in has answered), "wrong_code", "invalid" (answers off the scale). Nothing was stored."""


def used_link():
    return FeedbackRefused(
        _(
            "This link has already been used or has expired. Each link works once, so that "
            "nobody's answer can be changed by someone else. If you have answered already: thank "
            "you."
        ),
        "used",
    )


def wrong_code():
    return FeedbackRefused(
        _(
            "That code does not match a session open for feedback. Check the six letters and "
            "numbers shown at the end of the session; codes work for %(days)s days afterwards."
        )
        % {"days": WALK_IN_DAYS},
        "wrong_code",
    )


# Asking for feedback, once a session is completed.


def session_completed(session):
    """`session` was completed (called once that is committed): ask those who came."""
    notifications.enqueue(request_feedback, session.pk)


@task()
def request_feedback(session_id):
    """Send a one-time feedback link to each participant of a completed session who came and can
    be reached; returns how many went out. Runs once per session: the session is claimed with a
    conditional UPDATE of `Session.feedback_requested_at` before anything is made."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Session.objects.filter(
            pk=session_id, status=SessionStatus.COMPLETED, feedback_requested_at__isnull=True
        ).update(feedback_requested_at=now)
        if not claimed:
            return 0
        # Expired links answer nothing: they go whenever new ones are made.
        FeedbackInvitation.objects.filter(expires_at__lte=now).delete()
        came = [
            booking
            for booking in notifications.bookings().filter(
                session_id=session_id, status=BookingStatus.CONFIRMED, attended=True
            )
            if booking.contact_email or booking.phone
        ]
        # Shuffled, so the invitations' order says nothing about the order people booked in.
        secrets.SystemRandom().shuffle(came)
        tokens = [secrets.token_urlsafe(32) for _booking in came]
        FeedbackInvitation.objects.bulk_create(
            FeedbackInvitation(
                session_id=session_id,
                token_hash=token_hash(token),
                expires_at=now + timedelta(days=FEEDBACK_DAYS),
            )
            for token in tokens
        )
    extra = {"crisis": notifications.crisis_lines(), "feedback_days": FEEDBACK_DAYS}
    sent = 0
    for booking, token in zip(came, tokens, strict=True):
        sent += notifications.deliver(
            booking, "feedback_request", {**extra, "feedback_url": feedback_url(token)}
        )
    logger.info("Asked %s participant(s) of session %s for feedback", sent, session_id)
    return sent


def signer():
    return signing.Signer(salt=SALT, sep=".")


def token_hash(token):
    """What the database keeps of a token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def feedback_url(token):
    """The link in the message: the token, signed."""
    return absolute_url(reverse("meetings:feedback", args=[signer().sign(token)]))


# Answering through a link.


def hash_from_link(signed):
    """The stored hash for the token in a link; refuses a link the site did not make."""
    if not isinstance(signed, str) or len(signed) > MAX_TOKEN_LENGTH:
        signed = ""
    try:
        token = signer().unsign(signed)
    except signing.BadSignature:
        raise FeedbackRefused(
            _(
                "This feedback link does not work. Check that you copied the whole address from "
                "the message we sent you."
            ),
            "unknown",
        ) from None
    return token_hash(token)


def invitation_refusal(invitation, now):
    """Why `invitation` (None when there is none) cannot be answered now, or None if it can."""
    if invitation is None:
        return used_link()
    if invitation.session.is_cancelled:
        return FeedbackRefused(
            _("This session was cancelled, so there is no feedback to give about it."),
            "cancelled",
        )
    if invitation.expires_at <= now:
        return FeedbackRefused(
            _(
                "This link has expired: feedback links work for %(days)s days after the "
                "session. Thank you for wanting to answer."
            )
            % {"days": FEEDBACK_DAYS},
            "expired",
        )
    return None


def invitation_for(signed, now=None):
    """The invitation a link opens, with its session; raises `FeedbackRefused` for a made-up link
    ("unknown"), a used or removed one ("used"), an expired one, or a cancelled session."""
    invitation = (
        FeedbackInvitation.objects.filter(token_hash=hash_from_link(signed))
        .select_related("session", "session__workshop", "session__organisation")
        .first()
    )
    refusal = invitation_refusal(invitation, now or timezone.now())
    if refusal:
        raise refusal
    return invitation


def submit(signed, *, felt_safe, felt_heard, would_return, comment="", today=None, now=None):
    """Store the answers given through a link, and end the link: the invitation is deleted in
    the transaction that stores the response, and only the request whose DELETE removed it
    stores anything, so a link answers once however many requests race. Returns the response."""
    now = now or timezone.now()
    answers = clean_answers(felt_safe, felt_heard, would_return, comment)
    hashed = hash_from_link(signed)
    with transaction.atomic():
        invitation = (
            FeedbackInvitation.objects.filter(token_hash=hashed).select_related("session").first()
        )
        refusal = invitation_refusal(invitation, now)
        if refusal:
            raise refusal
        deleted, _counts = FeedbackInvitation.objects.filter(pk=invitation.pk).delete()
        if not deleted:
            raise used_link()
        return record(invitation.session, answers, today, now)


# Answering with the walk-in code.


def walk_in_refusal(session, now=None):
    """Why people who came to `session` without booking cannot answer with its code now, or None
    if they can: from the session's end (or its completion) until `WALK_IN_DAYS` after, while
    fewer have answered than there were walk-ins."""
    now = now or timezone.now()
    if session.is_cancelled:
        return FeedbackRefused(
            _("This session was cancelled, so there is no feedback to give about it."),
            "cancelled",
        )
    if session.status != SessionStatus.COMPLETED and now < session.ends_at:
        return FeedbackRefused(
            _("Feedback with the code opens at the end of the session."), "closed"
        )
    if now > walk_in_closes_at(session):
        return wrong_code()
    if session.walk_in_feedback_count >= session.walk_ins:
        return FeedbackRefused(
            _(
                "Everyone who came without booking has already answered with this code. If you "
                "booked a place, use the link we sent you."
            ),
            "full",
        )
    return None


def walk_in_closes_at(session):
    """When `session`'s walk-in code stops working."""
    return session.ends_at + timedelta(days=WALK_IN_DAYS)


def walk_in_url(session):
    """The walk-in feedback page with `session`'s code filled in: what the QR in the room opens."""
    path = reverse("meetings:feedback_code")
    return absolute_url(f"{path}?{urlencode({'code': session.feedback_code})}")


def walk_in_panel(session, now=None):
    """What the roster shows of the walk-in code once `session` is completed, until the code
    stops working (None before and after): the code, its page, and how many have answered."""
    now = now or timezone.now()
    if session.status != SessionStatus.COMPLETED or now > walk_in_closes_at(session):
        return None
    return {
        "code": session.feedback_code,
        "page": absolute_url(reverse("meetings:feedback_code")),
        "url": walk_in_url(session),
        "closes_at": walk_in_closes_at(session),
        "answered": session.walk_in_feedback_count,
        "walk_ins": session.walk_ins,
    }


def session_for_code(code, now=None):
    """The session whose walk-in code is `code` and open now; raises `FeedbackRefused`. Should
    two sessions open now share a code, the one that ended last (the room just left) is meant."""
    now = now or timezone.now()
    code = normalise_code(code)
    if len(code) != CHECK_IN_LENGTH:
        raise wrong_code()
    candidates = (
        Session.objects.filter(feedback_code=code, ends_at__gte=now - timedelta(days=WALK_IN_DAYS))
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("workshop", "organisation")
        .order_by("-ends_at", "-pk")
    )
    session = candidates.first()
    if session is None:
        raise wrong_code()
    refusal = walk_in_refusal(session, now)
    if refusal:
        raise refusal
    return session


def submit_with_code(
    session, code, *, felt_safe, felt_heard, would_return, comment="", today=None, now=None
):
    """Store a walk-in's answers given with `session`'s code (any case, spaces or dashes; compared
    in constant time). At most one answer per walk-in: the count goes up with a conditional
    UPDATE, so racing answers never pass the number of walk-ins. Returns the response."""
    now = now or timezone.now()
    answers = clean_answers(felt_safe, felt_heard, would_return, comment)
    with transaction.atomic():
        session = Session.objects.filter(pk=session.pk).first()
        if session is None or not code_is(code, session.feedback_code):
            raise wrong_code()
        refusal = walk_in_refusal(session, now)
        if refusal:
            raise refusal
        counted = (
            Session.objects.filter(pk=session.pk, walk_in_feedback_count__lt=F("walk_ins"))
            .exclude(status=SessionStatus.CANCELLED)
            .update(walk_in_feedback_count=F("walk_in_feedback_count") + 1)
        )
        if not counted:
            raise walk_in_refusal(Session.objects.get(pk=session.pk), now) or wrong_code()
        return record(session, answers, today, now)


# Both ways.


def clean_answers(felt_safe, felt_heard, would_return, comment):
    """The answers as stored; refuses a score off the scale or a comment too long."""
    on_scale = {value for value, _label in SCALE}
    scores = {"felt_safe": felt_safe, "felt_heard": felt_heard, "would_return": would_return}
    for score in scores.values():
        if isinstance(score, bool) or score not in on_scale:
            raise FeedbackRefused(
                _("Choose one answer, from “Strongly disagree” to “Strongly agree”, for each."),
                "invalid",
            )
    comment = "" if comment is None else comment
    if not isinstance(comment, str) or len(comment.strip()) > COMMENT_MAX_LENGTH:
        raise FeedbackRefused(
            _("Keep the comment to %(max)s characters.") % {"max": COMMENT_MAX_LENGTH},
            "invalid",
        )
    return {**scores, "comment": comment.strip()}


def record(session, answers, today, now):
    """Store one response: the day it came in the session's own time zone, never the time."""
    return FeedbackResponse.objects.create(
        session=session,
        submitted_on=today or timezone.localdate(now, session.zone),
        **answers,
    )
