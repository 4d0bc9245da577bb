"""Sessions' part of the account export and erasure (accounts.privacy), and the retention rule.

A person's bookings are the ones made with their account *and* the ones made without an account
from their (confirmed) e-mail address: many people book a group before they ever sign up. Both
are in their export, and both are anonymised when they erase their account.

Anonymising a booking blanks the first name, e-mail address, mobile number and access needs and
unlinks the account; the row stays, with its status and whether the person came, so attendance
counts and reports stay right. Bookings are anonymised this way automatically once their session
ended more than `PEERPATH_PARTICIPANT_RETENTION_DAYS` ago (`anonymise_past_bookings`, run daily).

A facilitator's debriefs and the safeguarding concerns they raised or handled are in their export.
Erasure unlinks them from those records and keeps the records: a debrief belongs to the
organisation's quality record and a concern to its safeguarding record, and both are written to
name nobody. Feedback is anonymous from the start: there is nothing of anyone's to export or erase.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail import hooks

from peerpath.accounts.verification import has_confirmed_email
from peerpath.conf import setting

from . import notifications
from .booking import BookingRefused, cancel
from .choices import SessionStatus
from .models import Booking, Debrief, RosterAssignment, SafeguardingConcern, Session
from .roster import check_roster

logger = logging.getLogger(__name__)


def connect():
    """Register the export and erasure hooks."""
    hooks.register("peerpath_export_personal_data", export_personal_data)
    hooks.register("peerpath_erase_personal_data", erase_personal_data)


def bookings_of(user):
    """Bookings made with `user`'s account or, without an account, from its e-mail address.

    The address counts only once the account holder has confirmed it: anyone can type someone
    else's address when signing up, and must not see, or cancel, that person's bookings.
    """
    made = Q(user=user)
    if user.email and has_confirmed_email(user):
        made |= Q(user__isnull=True, email__iexact=user.email)
    return Booking.objects.filter(made)


def anonymise(bookings, now):
    """Remove the personal details of `bookings`, keeping status and attendance; the count."""
    return bookings.filter(anonymised_at__isnull=True).update(
        first_name="", email="", phone="", access_needs="", user=None, anonymised_at=now
    )


def export_personal_data(user):
    bookings = bookings_of(user).select_related("session__workshop", "session__organisation")
    places = RosterAssignment.objects.filter(facilitator=user).select_related(
        "session__workshop", "session__organisation"
    )
    return {
        "data": {
            "session_bookings": [
                {
                    **session_record(booking.session),
                    "status": booking.status,
                    "attended": booking.attended,
                    "booked_at": booking.created_at,
                    "cancelled_at": booking.cancelled_at,
                    "booked_with_account": booking.user_id is not None,
                    "first_name": booking.first_name,
                    "email": booking.email,
                    "phone": booking.phone,
                    "access_needs": booking.access_needs,
                }
                for booking in bookings.order_by("session__starts_at", "pk")
            ],
            "session_roster": [
                {
                    **session_record(place.session),
                    "role": place.role,
                    "assigned_at": place.assigned_at,
                }
                for place in places.order_by("session__starts_at", "pk")
            ],
            "debriefs_filed": [
                {
                    **session_record(debrief.session),
                    "filed_at": debrief.filed_at,
                    "attendance": debrief.attendance,
                    "how_it_went": debrief.how_it_went,
                    "notes": debrief.notes,
                    "signposting": [category.name for category in debrief.signposting.all()],
                    "fidelity": debrief.fidelity,
                    "safeguarding_concern": debrief.concern,
                }
                for debrief in Debrief.objects.filter(filed_by=user)
                .select_related("session__workshop", "session__organisation")
                .prefetch_related("signposting")
                .order_by("filed_at", "pk")
            ],
            "safeguarding_concerns": [
                {
                    **session_record(concern.session),
                    "raised_by_you": concern.raised_by_id == user.pk,
                    "raised_at": concern.raised_at,
                    "summary": concern.summary,
                    "status": concern.status,
                    "status_changed_by_you": concern.handled_by_id == user.pk,
                    "status_changed_at": concern.status_changed_at,
                    "action_taken": concern.outcome,
                }
                for concern in SafeguardingConcern.objects.filter(
                    Q(raised_by=user) | Q(handled_by=user)
                )
                .select_related("session__workshop", "session__organisation")
                .order_by("raised_at", "pk")
            ],
        }
    }


def session_record(session):
    return {
        "session_id": session.pk,
        "workshop": session.workshop.title,
        "organisation": session.organisation.name,
        "starts_at": session.local_start,
        "session_status": session.status,
    }


def erase_personal_data(user, erased_by=None):
    """Erase `user`'s bookings and future roster places.

    A place on a future session is cancelled first, so it goes to the next person waiting; then
    every booking is anonymised. Leaving a future roster may leave a session without a qualified
    lead: it is flagged and its organisation's staff told.
    """
    now = timezone.now()
    upcoming = (
        bookings_of(user)
        .active()
        .filter(session__status=SessionStatus.SCHEDULED, session__starts_at__gt=now)
    )
    for booking in upcoming:
        try:
            cancel(booking, now)
        except BookingRefused:
            pass  # the session started or was cancelled meanwhile: nothing to give up
    erased = anonymise(bookings_of(user), now)
    future = Session.objects.filter(
        roster__facilitator=user, status=SessionStatus.SCHEDULED, starts_at__gt=now
    ).select_related("workshop", "organisation")
    sessions = list(future)
    RosterAssignment.objects.filter(facilitator=user, session__in=sessions).delete()
    flagged = defaultdict(list)
    for session in sessions:
        if check_roster(session, now):
            flagged[session.organisation].append(session)
    for organisation, its_sessions in flagged.items():
        transaction.on_commit(
            lambda organisation=organisation, its_sessions=its_sessions: (
                notifications.rosters_flagged(organisation, its_sessions)
            )
        )
    Debrief.objects.filter(filed_by=user).update(filed_by=None)
    SafeguardingConcern.objects.filter(raised_by=user).update(raised_by=None)
    SafeguardingConcern.objects.filter(handled_by=user).update(handled_by=None)
    logger.info(
        "Erased %s session booking(s) and %s future roster place(s) of user %s",
        erased,
        len(sessions),
        user.pk,
    )


def anonymise_past_bookings(now=None):
    """The retention rule: anonymise bookings of sessions that ended more than
    `PEERPATH_PARTICIPANT_RETENTION_DAYS` ago (cancelled ones too); returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=setting("PARTICIPANT_RETENTION_DAYS"))
    count = anonymise(Booking.objects.filter(session__ends_at__lt=cutoff), now)
    logger.info("Removed the contact details of %s past booking(s)", count)
    return count
