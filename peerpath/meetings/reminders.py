"""Reminders: everyone with a confirmed place hears about their session the day before, once.

Safe to run every few minutes and from several machines at once: each booking is claimed first
with a conditional UPDATE (`reminded_at` set only where it is still empty), and only the run whose
UPDATE changed the row sends. No transaction stays open while the mail server or text message
provider is talked to. A send that fails gives the claim back, so the next run tries again; moving
a session clears `reminded_at` (`scheduling.move_session`), so the new time is reminded too.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from peerpath.conf import setting

from . import notifications
from .choices import SessionStatus
from .models import Booking

logger = logging.getLogger(__name__)


def bookings_due(now):
    """Confirmed, not yet reminded bookings of scheduled sessions starting within the window."""
    window = timedelta(hours=setting("SESSION_REMINDER_HOURS"))
    return (
        Booking.objects.confirmed()
        .filter(
            reminded_at__isnull=True,
            anonymised_at__isnull=True,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + window,
        )
        .order_by("session__starts_at", "pk")
    )


def claim(booking_id, now):
    """Mark one booking reminded; True only for the run that changed it."""
    return bool(
        Booking.objects.filter(pk=booking_id, reminded_at__isnull=True).update(reminded_at=now)
    )


def send_session_reminders(now=None):
    """Send every reminder that is due; returns how many went out."""
    now = now or timezone.now()
    sent = 0
    for booking_id in list(bookings_due(now).values_list("pk", flat=True)):
        if not claim(booking_id, now):
            continue  # another run has it
        booking = notifications.bookings().filter(pk=booking_id).first()
        if booking is None or not (booking.contact_email or booking.phone):
            continue  # nobody to reach: the claim stays, so no run asks again
        if notifications.send_reminder(booking):
            sent += 1
        else:
            # The failure is logged; giving the claim back lets the next run try again.
            Booking.objects.filter(pk=booking_id, reminded_at=now).update(reminded_at=None)
    logger.info("Sent %s session reminder(s)", sent)
    return sent
