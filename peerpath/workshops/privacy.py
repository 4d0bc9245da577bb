"""What workshops contribute to the account export and to account erasure (accounts.privacy).

Erasure blanks the private notes and the co-facilitator's name (personal data about someone else)
and keeps the session's date, minutes and participant count, which aggregate reports count.
(Organisation memberships and roles are the organisations app's part: `organisations.privacy`.)
"""

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
                    "notes": entry.notes,
                    "recorded_at": entry.created_at,
                }
                for entry in entries
            ],
        }
    }


def erase_personal_data(user, erased_by=None):
    FacilitationLogEntry.objects.filter(facilitator=user).update(notes="", co_facilitator="")
