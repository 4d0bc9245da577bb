"""How far a learner is towards their programme's certification requirements: the only place
that counts them.

A programme lists `ProgrammeRequirement`s (administrators configure them, no code): each has a
stage — for full certification, or for each renewal — a kind and a minimum. One counting
function per kind turns a learner's records into a number over a period:

- supervised practice hours: `SupervisedPracticeEntry` rows signed off by a supervisor;
- continuing-education hours: `ContinuingEducationActivity` rows plus refresher modules
  (`ModulePage.ce_category`) completed, in total or in one category;
- sessions: the facilitation log, counted by the workshops app, which registers its counter
  with `register_counter` (training does not import workshops).

Full-certification requirements count everything the learner ever did for the programme; which
period counts towards renewing a certificate is decided by `certificates.renewal`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.db.models.signals import post_save
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    ContinuingEducationActivity,
    ModuleProgress,
    ProgrammePage,
    ProgrammeRequirement,
    SupervisedPracticeEntry,
    minutes_to_hours,
)

Kind = ProgrammeRequirement.Kind
Stage = ProgrammeRequirement.Stage

ZERO = Decimal(0)


@dataclasses.dataclass(frozen=True)
class Period:
    """The days whose records count: from `start` (inclusive) to `end` (exclusive); None is
    open-ended."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def contains(self, day):
        return (self.start is None or day >= self.start) and (self.end is None or day < self.end)


EVER = Period()

#: kind → fn(user_id, programme_id, requirements, period) returning {requirement pk: Decimal}
_COUNTERS = {}


def register_counter(kind, function):
    """Let another app count a kind of requirement (the workshops app counts sessions)."""
    _COUNTERS[kind] = function


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

    @property
    def remaining(self):
        return max(ZERO, self.needed - self.done)

    @property
    def is_sessions(self):
        return self.requirement.kind == Kind.SESSIONS

    @property
    def label(self):
        """What the requirement asks for, e.g. "Continuing-education hours in Ethics"."""
        requirement = self.requirement
        if requirement.kind == Kind.CE_HOURS:
            if requirement.category_id:
                return _("Continuing-education hours in %(category)s") % {
                    "category": requirement.category.name
                }
            return _("Continuing-education hours (any category)")
        if requirement.kind == Kind.SESSIONS:
            return {
                ProgrammeRequirement.SessionRole.LED: _("Sessions led without a co-facilitator"),
                ProgrammeRequirement.SessionRole.CO_FACILITATED: _(
                    "Sessions co-facilitated with another facilitator"
                ),
            }.get(requirement.session_role, _("Sessions facilitated"))
        return requirement.get_kind_display()

    @property
    def summary(self):
        """ "12 of 36 hours", "1 of 3 sessions"."""
        done, needed = _number(self.done), _number(self.needed)
        if self.is_sessions:
            return ngettext(
                "%(done)s of %(needed)s session", "%(done)s of %(needed)s sessions", int(needed)
            ) % {"done": done, "needed": needed}
        return _("%(done)s of %(needed)s hours") % {"done": done, "needed": needed}

    @property
    def missing(self):
        """What is still to do, for reminders: "24 more hours of continuing education in
        Peer support and recovery"."""
        if self.is_met:
            return ""
        left = _number(self.remaining)
        if self.is_sessions:
            return ngettext(
                "%(count)s more session (%(what)s)",
                "%(count)s more sessions (%(what)s)",
                int(self.remaining),
            ) % {"count": left, "what": self.label.lower()}
        if self.remaining == 1:
            return _("1 more hour: %(what)s") % {"what": self.label.lower()}
        return _("%(count)s more hours: %(what)s") % {"count": left, "what": self.label.lower()}


def _number(value):
    """Decimal hours without a trailing ".0"."""
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


# --- counters -----------------------------------------------------------------------------------


def _count_supervised_hours(user_id, programme_id, requirements, period):
    entries = SupervisedPracticeEntry.objects.filter(
        learner_id=user_id,
        programme_id=programme_id,
        status=SupervisedPracticeEntry.Status.SIGNED_OFF,
    )
    if period.start:
        entries = entries.filter(date__gte=period.start)
    if period.end:
        entries = entries.filter(date__lt=period.end)
    total = entries.aggregate(total=Sum("hours"))["total"] or ZERO
    return {requirement.pk: total for requirement in requirements}


def ce_hours_by_category(user_id, period):
    """Category id → continuing-education hours in the period: logged activities plus refresher
    modules completed (two queries)."""
    activities = ContinuingEducationActivity.objects.filter(learner_id=user_id)
    modules = ModuleProgress.objects.filter(
        user_id=user_id, completed_at__isnull=False, module__ce_category__isnull=False
    )
    if period.start:
        activities = activities.filter(date__gte=period.start)
        modules = modules.filter(completed_at__date__gte=period.start)
    if period.end:
        activities = activities.filter(date__lt=period.end)
        modules = modules.filter(completed_at__date__lt=period.end)
    hours = defaultdict(Decimal)
    for row in activities.values("category_id").annotate(total=Sum("hours")):
        hours[row["category_id"]] += row["total"]
    for row in modules.values(category_id=F("module__ce_category_id")).annotate(
        minutes=Sum("module__estimated_minutes")
    ):
        hours[row["category_id"]] += minutes_to_hours(row["minutes"])
    return dict(hours)


def _count_ce_hours(user_id, programme_id, requirements, period, carried=ZERO, hours=None):
    if hours is None:
        hours = ce_hours_by_category(user_id, period)
    total = sum(hours.values(), ZERO)
    return {
        requirement.pk: (
            hours.get(requirement.category_id, ZERO) if requirement.category_id else total + carried
        )
        for requirement in requirements
    }


register_counter(Kind.SUPERVISED_HOURS, _count_supervised_hours)
register_counter(Kind.CE_HOURS, _count_ce_hours)


# --- measuring ----------------------------------------------------------------------------------


def requirements_of(programme_ids, stage):
    """Programme id → its requirements of one stage, in the editors' order (one query)."""
    by_programme = defaultdict(list)
    for requirement in (
        ProgrammeRequirement.objects.filter(programme_id__in=programme_ids, stage=stage)
        .select_related("category")
        .order_by("programme_id", "sort_order", "pk")
    ):
        by_programme[requirement.programme_id].append(requirement)
    return dict(by_programme)


def measure(user_id, programme_id, requirements, period=EVER, carried_ce_hours=ZERO, ce_hours=None):
    """[RequirementProgress] for the given requirements of one programme over `period`.

    One query per kind present (two for continuing education, none when `ce_hours` — the
    result of `ce_hours_by_category` for the same period — is given).
    """
    by_kind = defaultdict(list)
    for requirement in requirements:
        by_kind[requirement.kind].append(requirement)
    done = {}
    for kind, of_kind in by_kind.items():
        counter = _COUNTERS.get(kind)
        if counter is None:
            raise LookupError(f"No counter is registered for requirements of kind {kind!r}")
        if kind == Kind.CE_HOURS:
            done.update(counter(user_id, programme_id, of_kind, period, carried_ce_hours, ce_hours))
        else:
            done.update(counter(user_id, programme_id, of_kind, period))
    return [
        RequirementProgress(
            requirement, Decimal(done.get(requirement.pk, ZERO)), requirement.minimum
        )
        for requirement in requirements
    ]


def full_certification_progress(user_id, programme_ids):
    """Programme id → [RequirementProgress] towards full certification, for the programmes that
    have such requirements."""
    return {
        programme_id: measure(user_id, programme_id, requirements)
        for programme_id, requirements in requirements_of(programme_ids, Stage.FULL).items()
    }


def full_requirements_met(user_id, programme_id):
    """True when the programme has requirements for full certification and all are met."""
    progress = full_certification_progress(user_id, [programme_id]).get(programme_id, [])
    return bool(progress) and all(item.is_met for item in progress)


def has_full_requirements(programme_id):
    return ProgrammeRequirement.objects.filter(programme_id=programme_id, stage=Stage.FULL).exists()


def announce_full_certification(user, programme_ids=None):
    """Tell the certificates app, once the current transaction commits, about every programme
    whose requirements for full certification the learner now meets (it confirms a provisional
    certificate, or issues the first one when the training is already complete). Safe to call
    after any record that may count: the receiver does nothing when nothing is waiting."""
    from .models import Enrolment
    from .signals import full_certification_requirements_met

    enrolled = Enrolment.objects.filter(user=user)
    if programme_ids is not None:
        enrolled = enrolled.filter(programme_id__in=programme_ids)
    candidates = list(
        enrolled.filter(programme__requirements__stage=Stage.FULL)
        .values_list("programme_id", flat=True)
        .distinct()
    )
    met = [pid for pid in candidates if full_requirements_met(user.pk, pid)]
    if not met:
        return

    def send():
        for programme in ProgrammePage.objects.filter(pk__in=met):
            full_certification_requirements_met.send(
                sender=ProgrammePage, user=user, programme=programme
            )

    transaction.on_commit(send)


def _activity_logged(sender, instance, created, **kwargs):
    """Continuing education may be among the requirements for full certification."""
    if created:
        announce_full_certification(instance.learner)


def connect():
    post_save.connect(
        _activity_logged,
        sender=ContinuingEducationActivity,
        dispatch_uid="training.ce_activity_logged",
    )
