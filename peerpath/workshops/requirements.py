"""Sessions from the facilitation log, counted for the training app's certification requirements
(e.g. "co-facilitate 3 sessions before facilitating alone", "deliver 3 courses a year").

Registered with `peerpath.training.requirements.register_counter` when the app is ready. Every session in
the facilitator's log counts, whichever workshop it was (entries outlive deleted workshops); a
session "led" is one logged without a co-facilitator, a "co-facilitated" one names one.
"""

from django.db.models import Count, Q
from django.db.models.signals import post_save

from peerpath.training import requirements
from peerpath.training.models import ProgrammeRequirement

from .models import FacilitationLogEntry

Role = ProgrammeRequirement.SessionRole


def count_sessions(user_id, programme_id, of_kind, period, memo):
    """{requirement pk: sessions} for the requirements given, over `period` (one query, shared
    through `memo` by every programme measured in the same request)."""

    def compute():
        entries = period.filter(
            FacilitationLogEntry.objects.filter(facilitator_id=user_id), "date", "created_at"
        )
        return entries.aggregate(
            any=Count("pk"),
            led=Count("pk", filter=Q(co_facilitator="")),
            co_facilitated=Count("pk", filter=~Q(co_facilitator="")),
        )

    counts = requirements.memoised(memo, ("sessions", user_id, period), compute)
    return {requirement.pk: counts.get(requirement.session_role, 0) for requirement in of_kind}


def _session_logged(sender, instance, created, **kwargs):
    """A logged session may complete a learner's requirements for full certification."""
    if created:
        requirements.announce_full_certification(instance.facilitator)


def connect():
    requirements.register_counter(ProgrammeRequirement.Kind.SESSIONS, count_sessions)
    post_save.connect(
        _session_logged,
        sender=FacilitationLogEntry,
        dispatch_uid="peerpath_workshops.session_logged",
    )
