"""Supervised practice: learners log hours, their assigned supervisor signs them off or sends them
back, and the programme's requirements for full certification are measured against what was
signed off. The only place these rules live; views and panels call these functions.

Supervised hours are one kind of `ProgrammeRequirement`, counted in `training/requirements.py`.
When a sign-off makes the programme's requirements for full certification met,
`full_certification_requirements_met` is sent after the transaction commits, and the certificates
app replaces the learner's provisional certificate with a full one.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import requirements
from .models import Enrolment, SupervisedPracticeEntry, SupervisorAssignment

Status = SupervisedPracticeEntry.Status


class PracticeError(Exception):
    """A practice-log action that cannot be done, with a message fit to show the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def supervises(supervisor, learner_id):
    """True if `supervisor` is assigned to the learner with id `learner_id`."""
    return SupervisorAssignment.objects.filter(
        supervisor=supervisor, learner_id=learner_id
    ).exists()


def log_entry(learner, programme, *, date, hours, description):
    """Record hours of supervised practice for a programme the learner is enrolled in."""
    if not Enrolment.objects.filter(user=learner, programme=programme).exists():
        raise PracticeError(_("Enrol in the programme before logging practice for it."))
    if date > timezone.localdate():
        raise PracticeError(_("Practice cannot be logged for a day that has not happened yet."))
    return SupervisedPracticeEntry.objects.create(
        learner=learner, programme=programme, date=date, hours=hours, description=description
    )


def _decide(entry, supervisor, **changes):
    if not supervises(supervisor, entry.learner_id):
        raise PracticeError(_("You are not this learner's supervisor."))
    updated = SupervisedPracticeEntry.objects.filter(pk=entry.pk, status=Status.PENDING).update(
        reviewed_by=supervisor, reviewed_at=timezone.now(), **changes
    )
    if not updated:
        raise PracticeError(_("This entry has already been signed off or sent back."))
    entry.refresh_from_db()
    return entry


def sign_off(entry, supervisor):
    """The supervisor confirms the entry. It can never change again; when it completes the
    programme's requirements for full certification, that is announced once committed."""
    with transaction.atomic():
        met_before = requirements.full_requirements_met(entry.learner_id, entry.programme_id)
        _decide(entry, supervisor, status=Status.SIGNED_OFF, comment="")
        if not met_before:
            requirements.announce_full_certification(entry.learner, [entry.programme_id])
    return entry


def send_back(entry, supervisor, comment):
    """The supervisor returns the entry with a comment; it does not count. The learner logs a
    corrected entry if there is one to log."""
    comment = (comment or "").strip()
    if not comment:
        raise PracticeError(_("Say what needs correcting when sending an entry back."))
    return _decide(entry, supervisor, status=Status.SENT_BACK, comment=comment[:2000])


def entries_to_review(supervisor):
    """Entries of the learners assigned to `supervisor`, newest first."""
    learners = SupervisorAssignment.objects.filter(supervisor=supervisor).values("learner_id")
    return (
        SupervisedPracticeEntry.objects.filter(learner_id__in=learners)
        .select_related("learner", "programme")
        .order_by("-date", "-pk")
    )
