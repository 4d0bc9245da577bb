"""What workshops contribute to the account export and to account erasure (accounts.privacy).

Erasure blanks the private notes and the co-facilitator's name (personal data about someone else)
and keeps the entries themselves: the session's date, minutes, participant count, role and where
its confirmation stands, which aggregate reports count and which are the facilitator's record.
The export gives each entry's role and confirmation (who confirmed it is named only when it is the
user themselves; otherwise "someone else", as it is personal data about another person).
(Organisation memberships and roles are the organisations app's part: `organisations.privacy`.)
"""

from django.utils.translation import gettext as _

from .models import FacilitationLogEntry


def export_personal_data(user):
    entries = FacilitationLogEntry.objects.filter(facilitator=user).order_by("date", "created_at")
    return {
        "data": {
            "facilitation_log": [
                {
                    "workshop": entry.workshop_title,
                    "date": entry.date,
                    "minutes": entry.minutes,
                    "participants": entry.participants,
                    "co_facilitator": entry.co_facilitator,
                    "role": entry.get_role_display(),
                    "confirmation": entry.get_confirmation_display(),
                    "confirmed_by": _confirmer(entry, user),
                    "confirmed_at": entry.confirmed_at,
                    "query_note": entry.query_note,
                    "notes": entry.notes,
                    "recorded_at": entry.created_at,
                }
                for entry in entries
            ],
        }
    }


def _confirmer(entry, user):
    if entry.confirmed_by_id is None:
        return ""
    return _("you") if entry.confirmed_by_id == user.pk else _("someone else")


def erase_personal_data(user, erased_by=None):
    FacilitationLogEntry.objects.filter(facilitator=user).update(notes="", co_facilitator="")
