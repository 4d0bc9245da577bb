"""The coach view's read model: where each member of a cohort stands on each of its programmes, and
where they are stuck.

Progress is never recomputed here. It comes from the summary row training keeps on each
`Enrolment` (percent, required modules done of required, last activity, completion); the two
knowledge-check rules are training's own, asked of a `ProgrammeOverview` built from the cached
programme structure and the members' progress rows on modules with a check
(`exhausted_modules`: the attempt limit reached without a pass; `check_window_closes_at`). A cohort
of any size costs the same few queries.

A member is *stuck* on a programme they have not completed when any of these holds:

- no activity for `inactive_days` days (default `DEFAULT_INACTIVE_DAYS`; the coach can change it);
- every attempt at a required module's knowledge check is used without a pass;
- the time to pass the knowledge checks closes within `WINDOW_WARNING_DAYS` days, or has closed,
  with a check still to pass;
- the cohort's target date has passed.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peerpath.training.models import Enrolment, ModuleProgress, ProgrammePage
from peerpath.training.progress.overview import (
    ModuleStatus,
    ProgrammeOverview,
    check_window_closes_at,
)
from peerpath.training.structure import structures_for

from .models import COHORT_ORDERING, CohortMember

DEFAULT_INACTIVE_DAYS = 14
#: The choices the coach view offers for "no activity for N days".
INACTIVE_DAY_CHOICES = (7, 14, 21, 30, 60)
#: A knowledge-check window closing this soon is a stuck point.
WINDOW_WARNING_DAYS = 7


class MemberState:
    """Each member is counted in exactly one of these (the summary cards), in this precedence."""

    COMPLETED = "completed"
    STUCK = "stuck"
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"

    LABELS = {
        COMPLETED: _("Completed"),
        STUCK: _("Stuck"),
        NOT_STARTED: _("Not started"),
        ON_TRACK: _("On track"),
    }


def days_ago(moment, now=None):
    """ "today", "yesterday" or "N days ago": how coaches speak of last activity."""
    if moment is None:
        return ""
    days = (timezone.localdate(now or timezone.now()) - timezone.localdate(moment)).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("%(days)d day ago", "%(days)d days ago", days) % {"days": days}


@dataclasses.dataclass(frozen=True)
class StuckPoint:
    """One reason a member is stuck on a programme, as a plain sentence for the coach."""

    kind: str
    reason: str


@dataclasses.dataclass
class ProgrammeProgress:
    """One member on one of the cohort's programmes (`enrolment` None: not enrolled)."""

    programme: ProgrammePage
    enrolment: Enrolment | None
    stuck: list[StuckPoint] = dataclasses.field(default_factory=list)

    @property
    def percent(self):
        return self.enrolment.percent_complete if self.enrolment else 0

    @property
    def done(self):
        return self.enrolment.required_done if self.enrolment else 0

    @property
    def total(self):
        return self.enrolment.required_total if self.enrolment else 0

    @property
    def last_activity_at(self):
        return self.enrolment.last_activity_at if self.enrolment else None

    @property
    def last_active(self):
        return days_ago(self.last_activity_at)

    @property
    def is_complete(self):
        return self.enrolment is not None and self.enrolment.completed_at is not None

    @property
    def is_started(self):
        return self.enrolment is not None and (
            self.enrolment.started_at is not None or self.is_complete
        )


@dataclasses.dataclass
class MemberProgress:
    """A cohort member and their progress on each of the cohort's programmes."""

    membership: CohortMember
    programmes: list[ProgrammeProgress]

    @property
    def user(self):
        return self.membership.user

    @property
    def name(self):
        return self.user.get_full_name() or self.user.get_username()

    @property
    def stuck(self):
        return [point for progress in self.programmes for point in progress.stuck]

    @property
    def is_stuck(self):
        return bool(self.stuck)

    @property
    def is_complete(self):
        return bool(self.programmes) and all(p.is_complete for p in self.programmes)

    @property
    def percent(self):
        """The member's overall percent: the mean of their programmes' percents."""
        if not self.programmes:
            return 0
        return sum(p.percent for p in self.programmes) // len(self.programmes)

    @property
    def last_activity_at(self):
        moments = [p.last_activity_at for p in self.programmes if p.last_activity_at]
        return max(moments) if moments else None

    @property
    def state(self):
        if self.is_complete:
            return MemberState.COMPLETED
        if self.is_stuck:
            return MemberState.STUCK
        if not any(p.is_started for p in self.programmes):
            return MemberState.NOT_STARTED
        return MemberState.ON_TRACK

    @property
    def state_label(self):
        return MemberState.LABELS[self.state]


def cohort_programmes():
    """The `programmes` prefetch every coach view uses: live programmes, by title."""
    return Prefetch("programmes", queryset=ProgrammePage.objects.live().order_by("title", "pk"))


def stuck_points(progress, cohort, *, structure_modules, rows, inactive_days, now):
    """The `StuckPoint`s of one member on one programme (none once it is complete)."""
    if progress.is_complete or progress.enrolment is None:
        return []
    enrolment, programme = progress.enrolment, progress.programme
    points = []
    idle_days = (now - enrolment.last_activity_at).days
    if idle_days >= inactive_days:
        points.append(
            StuckPoint(
                "inactive",
                ngettext(
                    "No activity for %(days)d day.", "No activity for %(days)d days.", idle_days
                )
                % {"days": idle_days},
            )
        )
    # Training's own rules, asked of an overview of this learner's rows on checked modules.
    statuses = [
        ModuleStatus(module=module, progress=rows.get(module.pk)) for module in structure_modules
    ]
    overview = ProgrammeOverview(programme, enrolment, statuses, None, None)
    for status in overview.exhausted_modules:
        points.append(
            StuckPoint(
                "attempts",
                _("Used every attempt at the knowledge check in “%(module)s” without passing.")
                % {"module": status.module.title},
            )
        )
    closes_at = check_window_closes_at(enrolment, programme)
    if closes_at is not None and overview.checks_to_pass:
        if closes_at <= now:
            points.append(
                StuckPoint(
                    "window_closed",
                    _("The time to pass the knowledge checks closed on %(date)s.")
                    % {"date": date_format(timezone.localtime(closes_at), "j F Y")},
                )
            )
        elif closes_at <= now + datetime.timedelta(days=WINDOW_WARNING_DAYS):
            points.append(
                StuckPoint(
                    "window_closing",
                    _("The time to pass the knowledge checks closes on %(date)s.")
                    % {"date": date_format(timezone.localtime(closes_at), "j F Y")},
                )
            )
    if cohort.target_on and cohort.target_on < timezone.localdate(now):
        points.append(
            StuckPoint(
                "target",
                _("The cohort's target date (%(date)s) has passed.")
                % {"date": date_format(cohort.target_on, "j F Y")},
            )
        )
    return points


def coach_rows_for(cohorts, *, inactive_days=DEFAULT_INACTIVE_DAYS, now=None):
    """`{cohort pk: [MemberProgress]}` for `cohorts` (with `cohort_programmes()` prefetched),
    members by name, in a constant number of queries however many cohorts and members."""
    now = now or timezone.now()
    cohorts = list(cohorts)
    if not cohorts:
        return {}
    memberships = list(
        CohortMember.objects.filter(cohort__in=cohorts)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username", "pk")
    )
    programmes = {p.pk: p for cohort in cohorts for p in cohort.programmes.all()}
    user_ids = {m.user_id for m in memberships}
    enrolments = {}
    if programmes and user_ids:
        enrolments = {
            (e.user_id, e.programme_id): e
            for e in Enrolment.objects.filter(user_id__in=user_ids, programme_id__in=programmes)
        }
    structures = structures_for(list(programmes.values())) if programmes else {}
    checked = {
        pk: [m for m in found.modules if m.has_check and m.is_required]
        for pk, found in structures.items()
    }
    module_ids = [m.pk for modules in checked.values() for m in modules]
    rows = {}
    if module_ids and enrolments:
        for row in ModuleProgress.objects.filter(
            user_id__in=user_ids, module_id__in=module_ids
        ).only("user_id", "module_id", "attempts", "completed_at", "started_at"):
            rows.setdefault(row.user_id, {})[row.module_id] = row

    by_cohort = {cohort.pk: [] for cohort in cohorts}
    cohort_by_pk = {cohort.pk: cohort for cohort in cohorts}
    for membership in memberships:
        cohort = cohort_by_pk[membership.cohort_id]
        membership.cohort = cohort
        progresses = []
        for programme in cohort.programmes.all():
            progress = ProgrammeProgress(
                programme, enrolments.get((membership.user_id, programme.pk))
            )
            progress.stuck = stuck_points(
                progress,
                cohort,
                structure_modules=checked.get(programme.pk, []),
                rows=rows.get(membership.user_id, {}),
                inactive_days=inactive_days,
                now=now,
            )
            progresses.append(progress)
        by_cohort[cohort.pk].append(MemberProgress(membership, progresses))
    return by_cohort


def coach_rows(cohort, **options):
    """The coach view's rows for one cohort (see `coach_rows_for`)."""
    return coach_rows_for([cohort], **options)[cohort.pk]


@dataclasses.dataclass
class CohortSummary:
    """The coach view's cards and the listing's figures for one cohort."""

    members: int
    counts: dict
    percent: int
    distribution: list

    @property
    def stuck(self):
        return self.counts[MemberState.STUCK]


#: The progress distribution's bands: (lowest %, highest %, label).
BANDS = (
    (0, 0, _("0%")),
    (1, 24, _("1–24%")),
    (25, 49, _("25–49%")),
    (50, 74, _("50–74%")),
    (75, 99, _("75–99%")),
    (100, 100, _("Complete (100%)")),
)


def summarise(rows):
    """Counts by `MemberState`, the mean percent and the members in each band of `BANDS`."""
    counts = {state: 0 for state in MemberState.LABELS}
    for row in rows:
        counts[row.state] += 1
    total = len(rows)
    distribution, offset = [], 0.0
    for index, (low, high, label) in enumerate(BANDS):
        count = sum(1 for row in rows if low <= row.percent <= high)
        width = count * 100 / total if total else 0
        # `offset` and `width` place the band in the inline SVG bar (percent of its width).
        distribution.append(
            {
                "band": index,
                "label": label,
                "count": count,
                "share": round(width),
                "offset": f"{offset:.2f}",
                "width": f"{width:.2f}",
            }
        )
        offset += width
    percent = sum(row.percent for row in rows) // total if total else 0
    return CohortSummary(total, counts, percent, distribution)


def sort_rows(rows, key):
    """Rows sorted by `key`: name (default), progress, activity (least recent first) or stuck."""
    if key == "progress":
        return sorted(rows, key=lambda row: (row.percent, row.name.lower()))
    if key == "activity":
        oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return sorted(rows, key=lambda row: (row.last_activity_at or oldest, row.name.lower()))
    if key == "stuck":
        return sorted(rows, key=lambda row: (-len(row.stuck), row.name.lower()))
    return rows


def listed_cohorts(queryset):
    """Cohorts for a listing, with their live programmes and member counts (two queries)."""
    # Meta.ordering is dropped from aggregate queries: order explicitly, so pages are stable.
    return (
        queryset.annotate(member_count=Count("memberships", distinct=True))
        .order_by(*COHORT_ORDERING, "pk")
        .prefetch_related(cohort_programmes())
    )


def cohort_with_programmes(queryset, pk):
    """One cohort of `queryset`, with its programmes prefetched (raises `Cohort.DoesNotExist`)."""
    return queryset.prefetch_related(cohort_programmes()).get(pk=pk)
