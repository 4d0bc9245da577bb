"""Supervised practice: learners log hours, their assigned supervisor signs them off or sends them
back, and the programme's requirements for full certification are measured against what was
signed off. The only place these rules live; views and panels call these functions.

A programme with a provisional stage lists `ProgrammeRequirement`s. When a sign-off makes all of
them met, `full_certification_requirements_met` is sent after the transaction commits, and the
certificates app replaces the learner's provisional certificate with a full one.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Enrolment,
    ProgrammePage,
    ProgrammeRequirement,
    SupervisedPracticeEntry,
    SupervisorAssignment,
)
from .signals import full_certification_requirements_met

Status = SupervisedPracticeEntry.Status


class PracticeError(Exception):
    """A practice-log action that cannot be done, with a message fit to show the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class RequirementProgress:
    """How far a learner is towards one requirement."""

    requirement: ProgrammeRequirement
    done: Decimal
    needed: Decimal

    @property
    def is_met(self):
        return self.done >= self.needed

    @property
    def percent(self):
        return min(100, int(self.done * 100 / self.needed)) if self.needed else 100


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
        met_before = requirements_met(entry.learner_id, entry.programme_id)
        _decide(entry, supervisor, status=Status.SIGNED_OFF, comment="")
        if not met_before and requirements_met(entry.learner_id, entry.programme_id):
            transaction.on_commit(lambda: _announce(entry))
    return entry


def _announce(entry):
    programme = ProgrammePage.objects.get(pk=entry.programme_id)
    full_certification_requirements_met.send(
        sender=ProgrammePage, user=entry.learner, programme=programme
    )


def send_back(entry, supervisor, comment):
    """The supervisor returns the entry with a comment; it does not count. The learner logs a
    corrected entry if there is one to log."""
    comment = (comment or "").strip()
    if not comment:
        raise PracticeError(_("Say what needs correcting when sending an entry back."))
    return _decide(entry, supervisor, status=Status.SENT_BACK, comment=comment[:2000])


def signed_off_hours(learner_id, programme_ids):
    """Signed-off hours per programme id, for the given programmes (one query)."""
    rows = (
        SupervisedPracticeEntry.objects.filter(
            learner_id=learner_id, programme_id__in=programme_ids, status=Status.SIGNED_OFF
        )
        .values("programme_id")
        .annotate(total=Sum("hours"))
    )
    return {row["programme_id"]: row["total"] for row in rows}


def requirement_progress(learner_id, programme_ids):
    """Programme id → [RequirementProgress] for the given programmes, in the editors' order.

    Two queries however many programmes: the requirements and the signed-off hours.
    """
    requirements = ProgrammeRequirement.objects.filter(programme_id__in=programme_ids).order_by(
        "programme_id", "sort_order"
    )
    by_programme = {}
    hours = None
    for requirement in requirements:
        if hours is None:
            hours = signed_off_hours(learner_id, programme_ids)
        done = hours.get(requirement.programme_id) or Decimal(0)
        by_programme.setdefault(requirement.programme_id, []).append(
            RequirementProgress(requirement, done, requirement.minimum)
        )
    return by_programme


def requirements_met(learner_id, programme_id):
    """True when the programme has requirements for full certification and all are met."""
    progress = requirement_progress(learner_id, [programme_id]).get(programme_id, [])
    return bool(progress) and all(item.is_met for item in progress)


def entries_to_review(supervisor):
    """Entries of the learners assigned to `supervisor`, newest first."""
    learners = SupervisorAssignment.objects.filter(supervisor=supervisor).values("learner_id")
    return (
        SupervisedPracticeEntry.objects.filter(learner_id__in=learners)
        .select_related("learner", "programme")
        .order_by("-date", "-pk")
    )
