"""What workshops contribute to the account export and to account erasure (accounts.privacy).

Erasure blanks the private notes and the co-facilitator's name (personal data about someone else)
and keeps the session's date, minutes and participant count, which aggregate reports count. It
removes the person's organisation memberships: nobody's staff need see an erased account.
"""

from .models import FacilitationLogEntry, Organisation, OrganisationMembership


def export_personal_data(user):
    entries = FacilitationLogEntry.objects.filter(facilitator=user).order_by("date", "created_at")
    memberships = (
        OrganisationMembership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return {
        "data": {
            "facilitation_log": [
                {
                    "workshop": entry.workshop_title,
                    "date": entry.date,
                    "minutes": entry.minutes,
                    "participants": entry.participants,
                    "co_facilitator": entry.co_facilitator,
                    "notes": entry.notes,
                    "recorded_at": entry.created_at,
                }
                for entry in entries
            ],
            "organisation_memberships": [
                {"organisation": membership.organisation.name, "added_at": membership.added_at}
                for membership in memberships
            ],
            "organisation_roles": [
                {"organisation": organisation.name, "role": "editor"}
                for organisation in Organisation.objects.filter(editors_group__user=user)
            ],
        }
    }


def erase_personal_data(user, erased_by=None):
    FacilitationLogEntry.objects.filter(facilitator=user).update(notes="", co_facilitator="")
    OrganisationMembership.objects.filter(user=user).delete()
