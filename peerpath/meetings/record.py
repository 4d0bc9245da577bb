"""The facilitation record that others confirm: the one place a session becomes log entries, and
the one place an entry made from a session is confirmed or queried.

When the lead files a session's debrief (`debriefs.py`), `record_session` gives each facilitator on
its roster a `FacilitationLogEntry` (workshops) for it: date, minutes, how many came and their role,
awaiting confirmation, linked to the session by a `SessionRecord`. A session nobody came to makes
no entries: nothing was facilitated. Certification requirements count confirmed entries only
(`peerpath.workshops.requirements`).
"""

from peerpath.workshops.choices import Confirmation, LogRole
from peerpath.workshops.models import FacilitationLogEntry

from .choices import Role
from .models import RosterAssignment, SessionRecord

#: A roster role as the log records it.
LOG_ROLES = {Role.LEAD: LogRole.LEAD, Role.CO: LogRole.CO}


def record_session(debrief):
    """Make the log entries of `debrief`'s session, one per facilitator on its roster who has none
    yet; returns the new entries. Call inside the debrief's transaction."""
    session = debrief.session
    if debrief.attendance < 1:
        return []
    recorded = set(
        SessionRecord.objects.filter(session=session).values_list("facilitator_id", flat=True)
    )
    entries = []
    for place in (
        RosterAssignment.objects.filter(session=session)
        .exclude(facilitator_id__in=recorded)
        .order_by("pk")
    ):
        entry = FacilitationLogEntry.objects.create(
            facilitator_id=place.facilitator_id,
            workshop=session.workshop,
            workshop_title=session.workshop.title,
            date=session.local_start.date(),
            minutes=session.duration_minutes,
            participants=debrief.attendance,
            role=LOG_ROLES[place.role],
            confirmation=Confirmation.AWAITING,
        )
        SessionRecord.objects.create(
            entry=entry,
            session=session,
            facilitator_id=place.facilitator_id,
            organisation_id=session.organisation_id,
        )
        entries.append(entry)
    return entries
