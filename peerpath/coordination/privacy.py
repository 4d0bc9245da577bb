"""Coordination's part of the account export and erasure (accounts.privacy).

A person's cohort places and the invitations sent to their address (or accepted with their
account) are theirs: both are in their export. Erasure removes their cohort places and deletes
those invitations, which hold their name and address. Invitations they sent as a coordinator stay
with the organisation; they name only the invitee. Settled and expired invitations are deleted
when their retention ends (`invitations.py`'s clean-up).
"""

from django.db.models import Q
from wagtail import hooks

from .models import CohortMember, Invitation


def connect():
    """Register the export and erasure hooks."""
    hooks.register("peerpath_export_personal_data", export_personal_data)
    hooks.register("peerpath_erase_personal_data", erase_personal_data)


def invitations_of(user):
    """Invitations addressed to `user`'s e-mail address or accepted with their account."""
    addressed = Q(accepted_by=user)
    if user.email:
        addressed |= Q(email__iexact=user.email)
    return Invitation.objects.filter(addressed)


def export_personal_data(user):
    places = CohortMember.objects.filter(user=user).select_related("cohort__organisation")
    invitations = invitations_of(user).select_related("organisation", "cohort")
    return {
        "data": {
            "cohorts": [
                {
                    "organisation": place.cohort.organisation.name,
                    "cohort": place.cohort.name,
                    "added_at": place.added_at,
                    "last_nudged_at": place.last_nudged_at,
                }
                for place in places.order_by("added_at")
            ],
            "invitations": [
                {
                    "organisation": invitation.organisation.name,
                    "cohort": invitation.cohort.name if invitation.cohort else None,
                    "email": invitation.email,
                    "name": invitation.name,
                    "sent_at": invitation.sent_at,
                    "expires_at": invitation.expires_at,
                    "accepted_at": invitation.accepted_at,
                    "revoked_at": invitation.revoked_at,
                    "status": invitation.status,
                }
                for invitation in invitations.order_by("created_at")
            ],
        }
    }


def erase_personal_data(user, erased_by=None):
    CohortMember.objects.filter(user=user).delete()
    invitations_of(user).delete()
