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
from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerpath.signals import announce

from .models import (
    ContinuingEducationActivity,
    Enrolment,
    ModuleProgress,
    ProgrammePage,
    ProgrammeRequirement,
    SupervisedPracticeEntry,
    minutes_to_hours,
)
from .signals import full_certification_requirements_met

Kind = ProgrammeRequirement.Kind
Stage = ProgrammeRequirement.Stage

ZERO = Decimal(0)


@dataclasses.dataclass(frozen=True)
class Period:
    """Which records count: those dated from `start` (inclusive) to `end` (exclusive); None is
    open-ended.

    A period that begins with a renewal shares its first day with the period before: a record
    dated that day counts in the new period only if it was recorded at or after `since` (the
    moment of renewal), and in the old one only if recorded before `until`. So hours logged on
    the morning of a renewal count once, for the renewal they made possible.
    """

    start: datetime.date | None = None
    end: datetime.date | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None

    def filter(self, queryset, date_field, recorded_field):
        """`queryset` narrowed to the period; `recorded_field` says when each row was recorded."""
        if self.start:
            if self.since:
                queryset = queryset.filter(
                    Q(**{f"{date_field}__gt": self.start})
                    | Q(**{date_field: self.start, f"{recorded_field}__gte": self.since})
                )
            else:
                queryset = queryset.filter(**{f"{date_field}__gte": self.start})
        if self.end:
            if self.until:
                queryset = queryset.filter(
                    Q(**{f"{date_field}__lt": self.end})
                    | Q(**{date_field: self.end, f"{recorded_field}__lt": self.until})
                )
            else:
                queryset = queryset.filter(**{f"{date_field}__lt": self.end})
        return queryset


EVER = Period()

#: kind → counter (see "counters" below)
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
            return _("Sessions %(what)s") % {"what": requirement.sessions_that_count}
        return requirement.get_kind_display()

    @property
    def summary(self):
        """ "12 of 36 hours", "1 of 3 sessions"."""
        done, needed = _number(self.done), _number(self.needed)
        if self.is_sessions:
            return ngettext(
                "%(done)s of %(needed)s session", "%(done)s of %(needed)s sessions", int(needed)
            ) % {"done": done, "needed": needed}
        return ngettext(
            "%(done)s of %(needed)s hour", "%(done)s of %(needed)s hours", _plural(self.needed)
        ) % {"done": done, "needed": needed}

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


def _plural(value):
    """The count ngettext should choose a form by: 1 only for exactly one."""
    return 1 if value == 1 else 2


def _number(value):
    """Decimal hours without a trailing ".0"."""
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


# --- counters -----------------------------------------------------------------------------------
#
# A counter is fn(user_id, programme_id, requirements, period, memo) → {requirement pk: number}.
# `memo` is a dict shared by every measurement of one request: a counter keeps there what does not
# depend on the programme (a learner's CE hours, their sessions), so measuring several programmes
# costs no more queries than measuring one.


def memoised(memo, key, compute):
    """memo[key], computed once."""
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _count_supervised_hours(user_id, programme_id, requirements, period, memo):
    def signed_off_by_programme():
        entries = SupervisedPracticeEntry.objects.filter(
            learner_id=user_id, status=SupervisedPracticeEntry.Status.SIGNED_OFF
        )
        rows = (
            period.filter(entries, "date", "created_at")
            .values("programme_id")
            .annotate(total=Sum("hours"))
        )
        return {row["programme_id"]: row["total"] for row in rows}

    hours = memoised(memo, ("supervised_hours", user_id, period), signed_off_by_programme)
    total = hours.get(programme_id) or ZERO
    return {requirement.pk: total for requirement in requirements}


def ce_hours_by_category(user_id, period, memo=None):
    """Category id → continuing-education hours in the period: logged activities plus refresher
    modules completed (two queries, none if `memo` already holds them)."""

    def compute():
        activities = ContinuingEducationActivity.objects.filter(learner_id=user_id)
        modules = ModuleProgress.objects.filter(
            user_id=user_id, completed_at__isnull=False, module__ce_category__isnull=False
        )
        activities = period.filter(activities, "date", "created_at")
        modules = period.filter(modules, "completed_at__date", "completed_at")
        hours = defaultdict(Decimal)
        for row in activities.values("category_id").annotate(total=Sum("hours")):
            hours[row["category_id"]] += row["total"]
        for row in modules.values(category_id=F("module__ce_category_id")).annotate(
            minutes=Sum("module__estimated_minutes")
        ):
            hours[row["category_id"]] += minutes_to_hours(row["minutes"])
        return dict(hours)

    return memoised({} if memo is None else memo, ("ce_hours", user_id, period), compute)


def _count_ce_hours(user_id, programme_id, requirements, period, memo):
    hours = ce_hours_by_category(user_id, period, memo)
    total = sum(hours.values(), ZERO)
    return {
        requirement.pk: hours.get(requirement.category_id, ZERO)
        if requirement.category_id
        else total
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


def measure(user_id, programme_id, requirements, period=EVER, carried_ce_hours=ZERO, memo=None):
    """[RequirementProgress] for the given requirements of one programme over `period`.

    At most one query per kind present (two for continuing education), fewer when `memo` — a dict
    shared by the measurements of one request — already holds what they need. Hours carried over
    from the previous period count towards a continuing-education total (not a category).
    """
    memo = {} if memo is None else memo
    by_kind = defaultdict(list)
    for requirement in requirements:
        by_kind[requirement.kind].append(requirement)
    done = {}
    for kind, of_kind in by_kind.items():
        counter = _COUNTERS.get(kind)
        if counter is None:
            raise LookupError(f"No counter is registered for requirements of kind {kind!r}")
        done.update(counter(user_id, programme_id, of_kind, period, memo))
    progress = []
    for requirement in requirements:
        value = Decimal(done.get(requirement.pk, ZERO))
        if requirement.kind == Kind.CE_HOURS and not requirement.category_id:
            value += carried_ce_hours
        progress.append(RequirementProgress(requirement, value, requirement.minimum))
    return progress


def full_certification_progress(user_id, programme_ids, memo=None):
    """Programme id → [RequirementProgress] towards full certification, for the programmes that
    have such requirements. Everything the learner ever did counts. One query for the
    requirements, then at most one per kind (two for CE), however many programmes."""
    memo = {} if memo is None else memo
    return {
        programme_id: measure(user_id, programme_id, requirements, memo=memo)
        for programme_id, requirements in requirements_of(programme_ids, Stage.FULL).items()
    }


def full_requirements_met(user_id, programme_id):
    """True when the programme has requirements for full certification and all are met."""
    progress = full_certification_progress(user_id, [programme_id]).get(programme_id, [])
    return bool(progress) and all(item.is_met for item in progress)


def announce_full_certification(user, programme_ids=None):
    """Tell the certificates app, once the current transaction commits, about every programme
    whose requirements for full certification the learner now meets (it confirms a provisional
    certificate, or issues the first one when the training is already complete). Safe to call
    after any record that may count: the receiver does nothing when nothing is waiting."""
    enrolled = Enrolment.objects.filter(user=user)
    if programme_ids is not None:
        enrolled = enrolled.filter(programme_id__in=programme_ids)
    candidates = list(
        enrolled.filter(programme__requirements__stage=Stage.FULL)
        .values_list("programme_id", flat=True)
        .distinct()
    )
    progress = full_certification_progress(user.pk, candidates)
    met = [pid for pid, items in progress.items() if all(item.is_met for item in items)]
    if not met:
        return

    def send():
        for programme in ProgrammePage.objects.filter(pk__in=met):
            announce(
                full_certification_requirements_met,
                sender=ProgrammePage,
                user=user,
                programme=programme,
            )

    transaction.on_commit(send)
