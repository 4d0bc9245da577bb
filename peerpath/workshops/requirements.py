"""Sessions from the facilitation log, counted for the training app's certification requirements
(e.g. "co-facilitate 3 sessions before facilitating alone", "deliver 3 courses a year").

Registered with `peerpath.training.requirements.register_counter` when the app is ready. Confirmed
entries count, whichever workshop they were (entries outlive deleted workshops); self-reported ones
count only for a requirement that allows them (`ProgrammeRequirement.count_self_reported`); entries
awaiting confirmation or queried never count. A session "led" is one whose entry has the lead role,
a "co-facilitated" one the co-facilitator role.
"""

from django.db.models import Count, Q
from django.db.models.signals import post_save

from peerpath.training import requirements
from peerpath.training.models import ProgrammeRequirement

from .choices import Confirmation, LogRole
from .models import FacilitationLogEntry

Role = ProgrammeRequirement.SessionRole
#: Which log roles each requirement's "sessions that count" takes (None: any role).
ROLES = {Role.ANY: None, Role.LED: LogRole.LEAD, Role.CO_FACILITATED: LogRole.CO}
COUNTED = (Confirmation.CONFIRMED, Confirmation.SELF_REPORTED)


def count_sessions(user_id, programme_id, of_kind, period, memo):
    """{requirement pk: sessions} for the requirements given, over `period` (one query, shared
    through `memo` by every programme measured in the same request)."""

    def compute():
        entries = period.filter(
            FacilitationLogEntry.objects.filter(facilitator_id=user_id), "date", "created_at"
        )
        # One count per (confirmation, role): e.g. "confirmed:lead", "self_reported:any".
        aggregates = {}
        for confirmation in COUNTED:
            for session_role, log_role in ROLES.items():
                condition = Q(confirmation=confirmation)
                if log_role is not None:
                    condition &= Q(role=log_role)
                aggregates[f"{confirmation}:{session_role}"] = Count("pk", filter=condition)
        return entries.aggregate(**aggregates)

    counts = requirements.memoised(memo, ("sessions", user_id, period), compute)

    def counted(requirement):
        total = counts.get(f"{Confirmation.CONFIRMED}:{requirement.session_role}", 0)
        if requirement.count_self_reported:
            total += counts.get(f"{Confirmation.SELF_REPORTED}:{requirement.session_role}", 0)
        return total

    return {requirement.pk: counted(requirement) for requirement in of_kind}


def _session_logged(sender, instance, created, **kwargs):
    """A logged or newly confirmed session may complete a learner's requirements for full
    certification."""
    if created or instance.confirmation == Confirmation.CONFIRMED:
        requirements.announce_full_certification(instance.facilitator)


def connect():
    requirements.register_counter(ProgrammeRequirement.Kind.SESSIONS, count_sessions)
    post_save.connect(
        _session_logged,
        sender=FacilitationLogEntry,
        dispatch_uid="peerpath_workshops.session_logged",
    )
