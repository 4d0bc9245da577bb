"""The facilitation log: what a facilitator may log, and the totals facilitators and admins see.

A facilitator records sessions run outside PeerPath here themselves (self-reported entries); the
sessions they run through PeerPath come into the same log from each session's debrief and are
confirmed by others (`peerpath.meetings.record`, which this app does not import). Only
self-reported entries can be deleted here: the others are the organisation's record too.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, Sum

from peerpath.certificates.access import valid_programme_ids
from peerpath.organisations.roles import LEARNERS
from peerpath.organisations.scope import scope_learners

from .choices import Confirmation
from .models import FacilitationLogEntry, WorkshopPage

CONFIRMED = Q(confirmation=Confirmation.CONFIRMED)
SELF_REPORTED = Q(confirmation=Confirmation.SELF_REPORTED)
#: Made from a session and not (yet) confirmed: awaiting confirmation or queried.
NOT_YET_COUNTED = Q(confirmation__in=[Confirmation.AWAITING, Confirmation.QUERIED])


def loggable_workshops(user):
    """Live workshops whose required programme `user` holds a valid certificate for.

    This only narrows the choices offered; the log form checks every submitted workshop with
    `access.can_see_facilitator_material`.
    """
    return (
        WorkshopPage.objects.live()
        .filter(programme_id__in=valid_programme_ids(user))
        .order_by("title")
    )


def entries_for(user):
    """`user`'s own log entries, newest first."""
    return FacilitationLogEntry.objects.filter(facilitator=user).select_related("workshop")


def can_delete(entry):
    """True if its facilitator may delete `entry`: only a self-reported one. An entry made from a
    session is the organisation's record too, and others confirm it."""
    return entry.is_self_reported


def hours(minutes):
    return round((minutes or 0) / 60, 1)


def totals_for(user):
    """What `user` has logged, as a dict (one query): every entry ("sessions", "minutes",
    "hours", "participants"); the confirmed ones, which renewal counts ("confirmed_sessions",
    "confirmed_minutes", "confirmed_hours"); the self-reported ones apart, which count only where
    a programme allows them ("self_reported_…"); and how many made from sessions are not yet
    counted ("pending_sessions": awaiting confirmation or queried)."""
    # Aggregates named after a field cannot be used by the others: "all_minutes", not "minutes".
    found = FacilitationLogEntry.objects.filter(facilitator=user).aggregate(
        sessions=Count("pk"),
        all_minutes=Sum("minutes"),
        all_participants=Sum("participants"),
        confirmed_sessions=Count("pk", filter=CONFIRMED),
        confirmed_minutes=Sum("minutes", filter=CONFIRMED),
        self_reported_sessions=Count("pk", filter=SELF_REPORTED),
        self_reported_minutes=Sum("minutes", filter=SELF_REPORTED),
        pending_sessions=Count("pk", filter=NOT_YET_COUNTED),
    )
    totals = {
        "sessions": found["sessions"],
        "minutes": found["all_minutes"] or 0,
        "hours": hours(found["all_minutes"]),
        "participants": found["all_participants"] or 0,
        "pending_sessions": found["pending_sessions"],
    }
    for kind in ("confirmed", "self_reported"):
        minutes = found[f"{kind}_minutes"] or 0
        totals[f"{kind}_sessions"] = found[f"{kind}_sessions"]
        totals[f"{kind}_minutes"] = minutes
        totals[f"{kind}_hours"] = hours(minutes)
    return totals


def facilitator_totals(viewer):
    """Every facilitator `viewer` may see (their organisations' learners: `organisations.scope`) who
    logged a session, with their totals (all, confirmed and self-reported sessions) and never their
    notes."""
    facilitators = scope_learners(
        get_user_model().objects.all(), viewer, user_field="pk", roles=LEARNERS
    )
    return (
        facilitators.filter(facilitation_log__isnull=False)
        .annotate(
            sessions=Count("facilitation_log"),
            confirmed_sessions=Count(
                "facilitation_log",
                filter=Q(facilitation_log__confirmation=Confirmation.CONFIRMED),
            ),
            self_reported_sessions=Count(
                "facilitation_log",
                filter=Q(facilitation_log__confirmation=Confirmation.SELF_REPORTED),
            ),
            minutes=Sum("facilitation_log__minutes"),
            participants=Sum("facilitation_log__participants"),
            last_session=Max("facilitation_log__date"),
        )
        .order_by("last_name", "first_name", "pk")
    )
