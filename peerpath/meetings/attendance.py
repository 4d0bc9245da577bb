"""Who came to a session: the facilitator's register, participants' self check-in, completion.

The one place attendance changes. A facilitator ticks who came and counts walk-ins
(`mark_attendance`) from 30 minutes before the start; participants in the room check themselves
in with the session's code and the e-mail address or mobile number they booked with, or say they
did not book (`check_in`, `record_walk_in`), from 30 minutes before the start to 30 minutes after
the end. Completing a session (`complete_session`) records its attendance count once, marks who
came back after an earlier session of the workshop (`Booking.returning`), and, once committed,
asks those who came for their anonymous feedback (`feedback.py`).

Each change takes the session's row lock, as `booking.py` does, so a facilitator saving the
register while someone checks in loses neither: the register applies only what the facilitator
changed since the page was shown.
"""

import re
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerpath.workshops.models import MAX_GROUP_SIZE

from . import feedback
from .choices import BookingStatus, SessionStatus
from .codes import code_is
from .models import Booking, Session
from .refusals import Refused

#: How long before the start the register and self check-in open.
OPENS_BEFORE_START = timedelta(minutes=30)
#: How long after the end participants may still check themselves in.
CHECK_IN_CLOSES_AFTER_END = timedelta(minutes=30)
# Fewer digits than this could match more than one participant's number.
MIN_PHONE_DIGITS = 8

#: The one reply to a check-in that matched nothing: it never says whether an address booked.
NOT_MATCHED = gettext_lazy(
    "We could not check you in with those details. Check the code shown in the room and give the "
    "e-mail address or mobile number you booked with, or ask a facilitator."
)


class AttendanceRefused(Refused):
    """An attendance change that cannot be made. The message is for the person asking."""


def register_problem(session, now=None):
    """Why `session`'s register cannot be marked now, or None if it can."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        return _("This session was cancelled, so there is no attendance to record.")
    if now < session.starts_at - OPENS_BEFORE_START:
        return _("Attendance can be recorded from 30 minutes before the session starts.")
    return None


def completion_problem(session, now=None):
    """Why `session` cannot be completed now, or None if it can."""
    now = now or timezone.now()
    if session.status == SessionStatus.COMPLETED:
        return _("This session was already completed; its attendance is recorded.")
    if session.status == SessionStatus.CANCELLED:
        return _("This session was cancelled, so it cannot be completed.")
    if now < session.starts_at:
        return _("A session can be completed once it has started.")
    return None


def check_in_problem(session, now=None):
    """Why participants cannot check in to `session` now, or None if they can."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        return _("This session was cancelled.")
    if session.status == SessionStatus.COMPLETED:
        return _("This session is over and its attendance is recorded.")
    if now < session.starts_at - OPENS_BEFORE_START:
        return _("Check-in opens 30 minutes before the session starts.")
    if now > session.ends_at + CHECK_IN_CLOSES_AFTER_END:
        return _("Check-in for this session has closed.")
    return None


def attended_count(session):
    """How many people came: bookings marked as attended plus walk-ins."""
    booked = Booking.objects.filter(
        session=session, status=BookingStatus.CONFIRMED, attended=True
    ).count()
    return booked + session.walk_ins


def mark_attendance(session, came, walk_ins, *, shown_came=None, shown_walk_ins=None, now=None):
    """Record who came to `session` (`came`: ids of its confirmed bookings) and the walk-ins.

    With `shown_came` and `shown_walk_ins` (what the register showed when the facilitator opened
    it), only the facilitator's changes are applied, so participants who checked themselves in
    meanwhile stay checked in. Without them, the register is taken as the whole truth. Ids that are
    not confirmed bookings of this session are refused, and nothing changes. A completed
    session's recorded count follows corrections. Returns the session, refreshed.
    """
    now = now or timezone.now()
    came = set(came)
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        problem = register_problem(session, now)
        if problem:
            raise AttendanceRefused(problem, "closed")
        confirmed = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
        confirmed_ids = set(confirmed.values_list("pk", flat=True))
        shown = confirmed_ids & set(shown_came) if shown_came is not None else None
        if not came <= confirmed_ids:
            raise AttendanceRefused(
                _("Some of those people have no place on this session; nothing was saved."),
                "foreign",
            )
        now_came = came if shown is None else came - shown
        now_absent = confirmed_ids - came if shown is None else shown - came
        confirmed.filter(pk__in=now_came, attended=False).update(attended=True)
        # A participant's own check-in time is kept unless the facilitator says they did not come.
        confirmed.filter(pk__in=now_absent).update(attended=False, checked_in_at=None)
        if shown_walk_ins is None:
            session.walk_ins = walk_ins
        else:
            session.walk_ins = session.walk_ins + walk_ins - shown_walk_ins
        session.walk_ins = max(0, min(MAX_GROUP_SIZE, session.walk_ins))
        fields = ["walk_ins"]
        if session.status == SessionStatus.COMPLETED:
            session.attendance_count = attended_count(session)
            fields.append("attendance_count")
            mark_returning(session)
        session.save(update_fields=fields)
    return session


def complete_session(session, now=None):
    """Mark `session` completed and record how many came (attended bookings plus walk-ins).

    Allowed once a scheduled session has started. Completing twice is refused with a clear
    message and changes nothing. Returns the session, refreshed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        problem = completion_problem(session, now)
        if problem:
            raise AttendanceRefused(problem, "closed")
        session.status = SessionStatus.COMPLETED
        session.completed_at = now
        session.attendance_count = attended_count(session)
        session.save(update_fields=["status", "completed_at", "attendance_count"])
        mark_returning(session)
        transaction.on_commit(lambda: feedback.session_completed(session))
    return session


def mark_returning(session):
    """Mark which of those who came to `session` had come to an earlier completed session of the
    same workshop: the same account, e-mail address (any case) or mobile number. Done when the
    session is completed and again when its register is corrected; two queries however many came.
    Earlier bookings whose contact details were removed (`privacy.py`) no longer match."""
    earlier = Booking.objects.filter(
        session__workshop_id=session.workshop_id,
        session__status=SessionStatus.COMPLETED,
        session__starts_at__lt=session.starts_at,
        status=BookingStatus.CONFIRMED,
        attended=True,
    ).annotate(email_lower=Lower("email"))
    same_person = (
        Q(user_id=OuterRef("user_id"))
        | (~Q(email="") & Q(email_lower=Lower(OuterRef("email"))))
        | (~Q(phone="") & Q(phone=OuterRef("phone")))
    )
    bookings = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
    bookings.filter(attended=False, returning=True).update(returning=False)
    bookings.filter(attended=True).update(returning=Exists(earlier.filter(same_person)))


def code_matches(session, code):
    """True if `code` is `session`'s check-in code (compared in constant time)."""
    return code_is(code, session.check_in_code)


def _phone_digits(phone):
    # Bookings keep numbers in E.164 ("+447700900123"); people type them as they say them
    # ("07700 900123"). The digits after any leading zeros and country code match either way.
    return re.sub(r"\D", "", phone or "").lstrip("0")


def matching_booking(session, *, email="", phone="", user=None):
    """The confirmed booking of `session` held by `user`, or by `email`, or by `phone`; else None."""
    confirmed = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
    if user is not None:
        return confirmed.filter(user=user).first()
    email = (email or "").strip()
    if email:
        return confirmed.filter(email__iexact=email).first()
    digits = _phone_digits(phone)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    matches = list(confirmed.filter(phone__endswith=digits)[:2])
    return matches[0] if len(matches) == 1 else None


def check_in(session, code, *, email="", phone="", user=None, now=None):
    """A participant checks in: the code shown in the room and how they booked.

    Marks their confirmed booking attended and when. A wrong code and a booking not found get the
    same refusal (`NOT_MATCHED`), so nobody learns whether an address booked. Checking in twice is
    harmless. Returns the booking.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        problem = check_in_problem(session, now)
        if problem:
            raise AttendanceRefused(problem, "closed")
        booking = (
            matching_booking(session, email=email, phone=phone, user=user)
            if code_matches(session, code)
            else None
        )
        if booking is None:
            raise AttendanceRefused(NOT_MATCHED, "not_matched")
        if not booking.attended:
            booking.attended = True
            booking.checked_in_at = now
            booking.save(update_fields=["attended", "checked_in_at"])
    return booking


def record_walk_in(session, code, now=None):
    """Someone in the room who did not book checks in: the session's walk-ins go up by one."""
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        problem = check_in_problem(session, now)
        if problem:
            raise AttendanceRefused(problem, "closed")
        if not code_matches(session, code):
            raise AttendanceRefused(NOT_MATCHED, "not_matched")
        updated = Session.objects.filter(pk=session.pk, walk_ins__lt=MAX_GROUP_SIZE).update(
            walk_ins=F("walk_ins") + 1
        )
        if not updated:
            raise AttendanceRefused(
                _("This session already counts as many walk-ins as it can; ask a facilitator."),
                "full",
            )
    return session
