"""The facilitation log: what a facilitator may log, and the totals facilitators and admins see."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Sum

from peerpath.certificates.access import valid_programme_ids
from peerpath.organisations.scope import scope_learners

from .models import FacilitationLogEntry, WorkshopPage


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


def totals_for(user):
    """Sessions, minutes and participants `user` has logged, as a dict (one query)."""
    totals = FacilitationLogEntry.objects.filter(facilitator=user).aggregate(
        sessions=Count("pk"), minutes=Sum("minutes"), participants=Sum("participants")
    )
    totals["minutes"] = totals["minutes"] or 0
    totals["participants"] = totals["participants"] or 0
    totals["hours"] = round(totals["minutes"] / 60, 1)
    return totals


def facilitator_totals(viewer):
    """Every facilitator `viewer` may see (their organisations' learners: `organisations.scope`) who
    logged a session, with their totals and never their notes."""
    facilitators = scope_learners(get_user_model().objects.all(), viewer, user_field="pk")
    return (
        facilitators.filter(facilitation_log__isnull=False)
        .annotate(
            sessions=Count("facilitation_log"),
            minutes=Sum("facilitation_log__minutes"),
            participants=Sum("facilitation_log__participants"),
            last_session=Max("facilitation_log__date"),
        )
        .order_by("last_name", "first_name", "pk")
    )
