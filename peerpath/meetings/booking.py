"""Booking, cancelling and the waiting list: the one place a booking changes.

Each change takes the session's row lock (`select_for_update`; SQLite's IMMEDIATE transactions do
the same for the whole database) and keeps `Session.places_taken` in step, so twenty people asking
for the last three places get exactly three places and seventeen waiting-list entries. The unique
constraints on active bookings stop the same person holding two; a clash that slips past the first
check is turned into the same clear refusal.

Messages go out after the transaction commits (`notifications`), never while the lock is held.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications
from .choices import BookingStatus, SessionStatus
from .models import Booking, Session
from .refusals import Refused


class BookingRefused(Refused):
    """A booking change that cannot be made. The message is for the person asking."""


def booking_problem(session, now=None):
    """Why `session` cannot be booked now, or None if it can."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        return _("This session has been cancelled.")
    if session.status == SessionStatus.COMPLETED or session.starts_at <= now:
        return _("This session has already started, so it can no longer be booked.")
    if session.is_drop_in:
        return _("This is a drop-in session: there is no need to book, just come along.")
    if session.booking_opens_at and now < session.booking_opens_at:
        return _("Booking for this session has not opened yet.")
    if session.booking_closes_at and now >= session.booking_closes_at:
        return _("Booking for this session has closed.")
    return None


def _already_booked(session, user, email, phone):
    active = Booking.objects.filter(session=session).active()
    clash = active.none()
    if user is not None:
        clash |= active.filter(user=user)
        if user.email:
            # A place booked without an account, from the same address, is the same person's.
            clash |= active.filter(email__iexact=user.email)
    if email:
        clash |= active.filter(email__iexact=email)
    if phone:
        clash |= active.filter(phone=phone)
    return clash.exists()


def book(session, *, first_name="", email="", phone="", access_needs="", user=None, now=None):
    """Give a place on `session`, or a place on its waiting list when it is full.

    A signed-in participant may give only their account (`user`); anyone else gives a first name
    and an e-mail address or a mobile number (already validated by the form). Raises
    `BookingRefused` with a clear message; nothing is changed then.
    """
    now = now or timezone.now()
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    if user is None and not (email or phone):
        raise BookingRefused(_("Give an e-mail address or a mobile number."), "contact")
    try:
        with transaction.atomic():
            session = Session.objects.select_for_update().get(pk=session.pk)
            problem = booking_problem(session, now)
            if problem:
                raise BookingRefused(problem, "closed")
            if _already_booked(session, user, email, phone):
                raise BookingRefused(
                    _(
                        "You already have a place (or a place on the waiting list) for this session."
                    ),
                    "duplicate",
                )
            confirmed = not session.is_full
            booking = Booking.objects.create(
                session=session,
                user=user,
                first_name=(first_name or "").strip()[:60],
                email=email,
                phone=phone,
                access_needs=(access_needs or "").strip()[:500],
                status=BookingStatus.CONFIRMED if confirmed else BookingStatus.WAITING,
                created_at=now,
            )
            if confirmed:
                session.places_taken += 1
                session.save(update_fields=["places_taken"])
            booking.session = session
            transaction.on_commit(lambda: notifications.booked(booking))
    except IntegrityError:
        raise BookingRefused(
            _("You already have a place (or a place on the waiting list) for this session."),
            "duplicate",
        ) from None
    return booking


def cancel(booking, now=None):
    """Cancel a booking or a waiting-list place. A freed place goes to the first person waiting,
    who is told; cancelling twice is refused with a clear message."""
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == BookingStatus.CANCELLED:
            raise BookingRefused(_("This booking was already cancelled."), "cancelled")
        if session.status != SessionStatus.SCHEDULED or session.starts_at <= now:
            raise BookingRefused(
                _("This session has already taken place or was cancelled."), "closed"
            )
        was_confirmed = booking.status == BookingStatus.CONFIRMED
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            session.places_taken -= 1
            session.save(update_fields=["places_taken"])
            promote_waiting(session, now)
        booking.session = session
        transaction.on_commit(lambda: notifications.cancelled(booking))
    return booking


def promote_waiting(session, now=None):
    """Give free places to the waiting list, first come first served; each person is told.

    Call with the session locked (inside `book`, `cancel`, or after staff add places).
    """
    now = now or timezone.now()
    promoted = []
    if session.capacity is None:
        return promoted
    free = session.capacity - session.places_taken
    if free <= 0:
        return promoted
    for waiting in Booking.objects.filter(session=session).waiting().select_for_update()[:free]:
        waiting.status = BookingStatus.CONFIRMED
        waiting.promoted_at = now
        waiting.save(update_fields=["status", "promoted_at"])
        waiting.session = session
        promoted.append(waiting)
    if promoted:
        session.places_taken += len(promoted)
        session.save(update_fields=["places_taken"])
        for waiting in promoted:
            transaction.on_commit(lambda waiting=waiting: notifications.promoted(waiting))
    return promoted


def places_added(session, now=None):
    """After staff raise a session's capacity: the waiting list moves up."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        return promote_waiting(session, now)
