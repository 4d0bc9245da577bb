"""The impact report: what one organisation did in a period, in figures a funder asks for.

`impact_report(organisation, period)` gathers every figure in a fixed number of grouped queries
(no work per session, booking or person), reusing the rule of each figure's home: certificate
status from `Certificate.objects.with_status()` and `certificates/status.py`, training hours from
`certificates/snapshot.training_hours`, feedback averages and their suppression from
`meetings/quality.py`. Participants are only ever counted, never named; signposting and feedback
counts below `quality.MIN_RESPONSES` are shown as "fewer than 5" (`SmallCount`).

Periods are calendar months, quarters and years, or custom dates (`period_for`), at most
`MAX_PERIOD_YEARS` long; each has a previous period of the same kind for comparison.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, F, Min, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf, TruncMonth
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peerpath.certificates.models import Certificate
from peerpath.certificates.snapshot import training_hours
from peerpath.certificates.status import (
    RENEWAL_WINDOW_DAYS,
    CertificateStatus,
    expiring_condition,
    status_conditions,
)
from peerpath.meetings.choices import BookingStatus, SessionStatus
from peerpath.meetings.models import (
    Booking,
    Debrief,
    FeedbackResponse,
    RosterAssignment,
    Session,
)
from peerpath.meetings.quality import MIN_RESPONSES, feedback_summary, summarise_feedback
from peerpath.organisations.models import OrganisationMembership
from peerpath.training.models import ContinuingEducationActivity, Enrolment, ProgrammePage
from peerpath.workshops.choices import Format

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
PERIOD_CHOICES = [
    (MONTH, _("Month")),
    (QUARTER, _("Quarter")),
    (YEAR, _("Year")),
    (CUSTOM, _("Custom dates")),
]
#: The longest period a report covers: a year's report is the usual, three years the most.
MAX_PERIOD_YEARS = 3
#: Hours are shown to one decimal place, as certificates print them.
TENTH = Decimal("0.1")
#: How many members the dashboard names as needing attention.
ATTENTION_LIMIT = 5


class PeriodError(ValueError):
    """A period that cannot be reported on; the message says why, for the form."""


# --- Periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included, of kind `MONTH`, `QUARTER`, `YEAR` or
    `CUSTOM`."""

    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self):
        if self.kind == MONTH:
            return date_format(self.start, "F Y")
        if self.kind == QUARTER:
            return gettext("Quarter %(number)d, %(year)d") % {
                "number": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == YEAR:
            return str(self.start.year)
        return gettext("%(start)s to %(end)s") % {
            "start": date_format(self.start, "j F Y"),
            "end": date_format(self.end, "j F Y"),
        }

    def previous(self):
        """The period of the same kind and length just before this one."""
        if self.kind == CUSTOM:
            length = self.end - self.start
            end = self.start - datetime.timedelta(days=1)
            return Period(CUSTOM, end - length, end)
        months = {MONTH: 1, QUARTER: 3, YEAR: 12}[self.kind]
        start = self.start - relativedelta(months=months)
        return Period(self.kind, start, self.start - datetime.timedelta(days=1))

    def months(self):
        """The first day of each calendar month the period touches, in order."""
        month, months = self.start.replace(day=1), []
        while month <= self.end:
            months.append(month)
            month += relativedelta(months=1)
        return months


def parse_day(value, what):
    """A date from a date or an ISO string (YYYY-MM-DD), else `PeriodError` naming `what`."""
    if isinstance(value, datetime.date):
        return value
    try:
        parsed = parse_date(str(value or "").strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise PeriodError(gettext("Give the %(what)s as a date, e.g. 2026-03-31.") % {"what": what})
    return parsed


def period_for(kind, anchor=None, *, start=None, end=None):
    """The `Period` of `kind` containing `anchor` (a date or ISO string; default today), or for
    `CUSTOM` the days `start` to `end`. Raises `PeriodError` for an unknown kind, a date that is
    not one, an end before the start, or more than `MAX_PERIOD_YEARS` years."""
    if kind == CUSTOM:
        first, last = parse_day(start, gettext("start")), parse_day(end, gettext("end"))
        if last < first:
            raise PeriodError(gettext("The end of the period cannot be before its start."))
        if last >= first + relativedelta(years=MAX_PERIOD_YEARS):
            raise PeriodError(
                gettext("A report covers at most %(years)d years.") % {"years": MAX_PERIOD_YEARS}
            )
        return Period(CUSTOM, first, last)
    day = timezone.localdate() if anchor in (None, "") else parse_day(anchor, gettext("date"))
    if kind == MONTH:
        first = day.replace(day=1)
        return Period(MONTH, first, first + relativedelta(months=1, days=-1))
    if kind == QUARTER:
        first = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        return Period(QUARTER, first, first + relativedelta(months=3, days=-1))
    if kind == YEAR:
        return Period(YEAR, day.replace(month=1, day=1), day.replace(month=12, day=31))
    raise PeriodError(gettext("Choose a month, a quarter, a year or custom dates."))


def last_twelve_months(today=None):
    """The dashboard's period: the eleven whole months before this one and this month so far."""
    today = today or timezone.localdate()
    return Period(CUSTOM, today.replace(day=1) - relativedelta(months=11), today)


# --- Small numbers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmallCount:
    """A count shown only when it is not small: below `quality.MIN_RESPONSES` it reads "fewer
    than 5", so that nobody can be picked out of a handful."""

    count: int

    @property
    def suppressed(self):
        # The Quality report's rule, asked of its one home rather than restated here.
        return summarise_feedback(self.count, {}).suppressed

    @property
    def shown(self):
        """The number, or the words a reader sees instead (the same in page, XLSX and PDF)."""
        if self.suppressed:
            return gettext("fewer than %(number)d") % {"number": MIN_RESPONSES}
        return self.count

    def __str__(self):
        return str(self.shown)


# --- The report ---------------------------------------------------------------------------------


@dataclass
class MonthFigures:
    """Sessions held in one month, by format, and the attendances at them."""

    month: datetime.date
    by_format: dict = field(default_factory=dict)
    attendances: int = 0

    @property
    def sessions(self):
        return sum(self.by_format.values())

    @property
    def label(self):
        return date_format(self.month, "M Y")


@dataclass
class ImpactReport:
    """The figures of one organisation for one period; `previous` holds the period before's
    figures when they were asked for (for the ▲/▼ comparison)."""

    organisation: object
    period: Period
    months: list
    sessions_by_format: dict
    attendances: int
    returning_attendances: int
    unique_participants: int
    facilitators_active: int
    certification: dict
    completions: int
    completions_by_programme: list
    training_hours: Decimal
    ce_hours: Decimal
    ce_learners: int
    signposting: list
    feedback: object
    previous: "ImpactReport | None" = None

    @property
    def sessions(self):
        return sum(self.sessions_by_format.values())

    @property
    def certified(self):
        return self.certification[CertificateStatus.VALID]

    @property
    def expiring(self):
        return self.certification["expiring"]

    @property
    def lapsed(self):
        return self.certification[CertificateStatus.LAPSED]

    @property
    def feedback_responses(self):
        return SmallCount(self.feedback.count)

    def headlines(self):
        """The headline figures as `Headline`s, each with the previous period's where known."""
        values = [
            ("sessions", _("Sessions held"), self.sessions),
            ("attendances", _("Attendances"), self.attendances),
            ("unique_participants", _("Participants (estimated)"), self.unique_participants),
            ("facilitators_active", _("Facilitators active"), self.facilitators_active),
            ("certified", _("Certified facilitators"), self.certified),
            (
                "expiring",
                _("Expiring within %(days)d days") % {"days": RENEWAL_WINDOW_DAYS},
                self.expiring,
            ),
            ("lapsed", _("Lapsed (renewal due)"), self.lapsed),
            ("completions", _("Training completions"), self.completions),
            ("training_hours", _("Training hours"), self.training_hours),
            ("ce_hours", _("Continuing-education hours"), self.ce_hours),
        ]
        return [
            Headline(
                key,
                label,
                value,
                None if self.previous is None else getattr(self.previous, key),
            )
            for key, label, value in values
        ]

    def certification_rows(self):
        """(label, count) for the certification chart and table: distinct members by state."""
        return [
            (_("Valid"), self.certification["valid_not_expiring"]),
            (
                _("Expiring within %(days)d days") % {"days": RENEWAL_WINDOW_DAYS},
                self.expiring,
            ),
            (_("Provisional"), self.certification[CertificateStatus.PROVISIONAL]),
            (_("Lapsed (renewal due)"), self.lapsed),
            (_("Expired"), self.certification[CertificateStatus.EXPIRED]),
        ]

    def format_rows(self):
        """(format label, sessions) for every workshop format, in the formats' order."""
        return [(choice.label, self.sessions_by_format.get(choice, 0)) for choice in Format]


@dataclass(frozen=True)
class Headline:
    """One headline figure and, when compared, the previous period's."""

    key: str
    label: str
    value: object
    previous: object = None

    @property
    def change(self):
        """ "up", "down" or "same" against the previous period; None without one."""
        if self.previous is None:
            return None
        if self.value > self.previous:
            return "up"
        if self.value < self.previous:
            return "down"
        return "same"


def members_of(organisation):
    """The user ids of the organisation's members, as a subquery."""
    return OrganisationMembership.objects.filter(organisation=organisation).values("user_id")


def held_sessions(organisation, period):
    """The organisation's completed sessions starting in the period (cancelled ones never are)."""
    # Bounds as times, not `starts_at__date`: the (organisation, starts_at) index then serves
    # the range on PostgreSQL.
    return Session.objects.filter(
        organisation=organisation,
        status=SessionStatus.COMPLETED,
        starts_at__gte=start_of(period.start),
        starts_at__lt=start_of(period.end + datetime.timedelta(days=1)),
    ).order_by()


def start_of(day):
    """Midnight at the start of `day`, in the site's time zone (as `__date` lookups read it)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def session_figures(sessions, period):
    """(MonthFigures for every month, sessions by format) in one grouped query. Attendances are
    counted as the Quality report counts them: the lead's count in the debrief where there is
    one, else the register's (bookings that came plus walk-ins)."""
    months = {month: MonthFigures(month) for month in period.months()}
    by_format = {}
    rows = sessions.values(month=TruncMonth("starts_at"), format=F("workshop__format")).annotate(
        held=Count("pk"), people=Sum(Coalesce("debrief__attendance", "attendance_count"))
    )
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        figures = months.setdefault(month, MonthFigures(month))
        figures.by_format[row["format"]] = figures.by_format.get(row["format"], 0) + row["held"]
        figures.attendances += row["people"] or 0
        by_format[row["format"]] = by_format.get(row["format"], 0) + row["held"]
    return [months[month] for month in sorted(months)], by_format


def participant_figures(sessions):
    """(returning attendances, estimated unique participants) among those who booked and came.

    A participant is known by their account, else their e-mail address (any case), else their
    mobile number — as `Booking.returning` matches them. Contact details are removed some weeks
    after a session (`meetings/privacy.py`); such a booking counts as a new person only when it
    was not marked as returning when the session was completed. So the estimate can count a
    person twice (two workshops, or two ways of booking), and leaves out walk-ins."""
    # Concat treats NULL as "" (so an account-less booking would read "u"): hence the When.
    identity = Coalesce(
        Case(When(user__isnull=False, then=Concat(Value("u"), Cast("user_id", CharField())))),
        NullIf(Lower("email"), Value("")),
        NullIf("phone", Value("")),
        output_field=CharField(),
    )
    figures = Booking.objects.filter(
        session__in=sessions.values("pk"), status=BookingStatus.CONFIRMED, attended=True
    ).aggregate(
        came_back=Count("pk", filter=Q(returning=True)),
        known=Count(identity, distinct=True, filter=Q(anonymised_at__isnull=True)),
        removed_first=Count("pk", filter=Q(anonymised_at__isnull=False, returning=False)),
    )
    return figures["came_back"], figures["known"] + figures["removed_first"]


def certification_figures(organisation, day):
    """Distinct members holding a certificate of a programme the organisation runs, by status on
    `day` (one query). Status is `with_status()`'s rule applied on `day`; certificates issued
    after `day` are left out, but a revocation or renewal since is already counted."""
    conditions = status_conditions(day)
    certificates = (
        Certificate.objects.with_status(day)
        .filter(
            holder__in=members_of(organisation),
            programme__in=ProgrammePage.objects.filter(organisations=organisation).values("pk"),
            issued_at__date__lte=day,
        )
        .order_by()
    )
    expiring = expiring_condition(day)
    counted = {
        status: Count("holder", distinct=True, filter=conditions[status])
        for status in (
            CertificateStatus.VALID,
            CertificateStatus.PROVISIONAL,
            CertificateStatus.LAPSED,
            CertificateStatus.EXPIRED,
        )
    }
    figures = certificates.aggregate(
        **counted,
        expiring=Count("holder", distinct=True, filter=expiring),
        valid_not_expiring=Count(
            "holder", distinct=True, filter=conditions[CertificateStatus.VALID] & ~expiring
        ),
    )
    return figures


def training_figures(organisation, period):
    """(completions, [(programme title, completions)], training hours) of members' enrolments
    completed in the period. Hours are each programme's `training_hours`, as certificates print
    them: two queries and one per programme completed."""
    completed = (
        Enrolment.objects.filter(
            user__in=members_of(organisation),
            completed_at__date__range=(period.start, period.end),
        )
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
    )
    counts = {row["programme"]: row["n"] for row in completed}
    programmes = ProgrammePage.objects.filter(pk__in=counts).order_by("title")
    rows, hours = [], Decimal(0)
    for programme in programmes:
        rows.append((programme.title, counts[programme.pk]))
        hours += training_hours(programme) * counts[programme.pk]
    return sum(counts.values()), rows, hours.quantize(TENTH)


def continuing_figures(organisation, period):
    """(hours, learners) of members' continuing education dated in the period."""
    figures = (
        ContinuingEducationActivity.objects.filter(
            learner__in=members_of(organisation), date__range=(period.start, period.end)
        )
        .order_by()
        .aggregate(hours=Sum("hours"), learners=Count("learner", distinct=True))
    )
    return (figures["hours"] or Decimal(0)).quantize(TENTH), figures["learners"]


def signposting_figures(sessions):
    """[(category, SmallCount)] of the signposting recorded in the sessions' debriefs, in the
    organisation's category order."""
    rows = (
        Debrief.signposting.through.objects.filter(debrief__session__in=sessions.values("pk"))
        .values(name=F("signpostingcategory__name"))
        .annotate(n=Count("pk"), order=Min("signpostingcategory__sort_order"))
        .order_by("order", "name")
    )
    return [(row["name"], SmallCount(row["n"])) for row in rows]


def impact_report(organisation, period, *, compare=True):
    """The `ImpactReport` of `organisation` for `period` (a `Period`), with the previous period's
    figures in `previous` when `compare`. About a dozen queries per period, however large."""
    sessions = held_sessions(organisation, period)
    months, by_format = session_figures(sessions, period)
    returning, unique = participant_figures(sessions)
    completions, by_programme, hours = training_figures(organisation, period)
    ce_hours, ce_learners = continuing_figures(organisation, period)
    return ImpactReport(
        organisation=organisation,
        period=period,
        months=months,
        sessions_by_format=by_format,
        attendances=sum(month.attendances for month in months),
        returning_attendances=returning,
        unique_participants=unique,
        facilitators_active=(
            RosterAssignment.objects.filter(session__in=sessions.values("pk"))
            .order_by()
            .aggregate(n=Count("facilitator", distinct=True))["n"]
        ),
        certification=certification_figures(organisation, period.end),
        completions=completions,
        completions_by_programme=by_programme,
        training_hours=hours,
        ce_hours=ce_hours,
        ce_learners=ce_learners,
        signposting=signposting_figures(sessions),
        feedback=feedback_summary(
            FeedbackResponse.objects.filter(session__in=sessions.values("pk")).order_by()
        ),
        previous=impact_report(organisation, period.previous(), compare=False) if compare else None,
    )


# --- People who need attention ------------------------------------------------------------------


def needing_attention(organisation, today=None, limit=ATTENTION_LIMIT):
    """(up to `limit` certificates, how many in all) of members whose certificate of a programme
    the organisation runs is expiring within the renewal window or has lapsed, soonest first —
    for the coordinator's dashboard, a staff view where names are shown. Two queries."""
    today = today or timezone.localdate()
    certificates = (
        Certificate.objects.with_status(today)
        .filter(
            expiring_condition(today) | status_conditions(today)[CertificateStatus.LAPSED],
            holder__in=members_of(organisation),
            programme__in=ProgrammePage.objects.filter(organisations=organisation).values("pk"),
        )
        .select_related("holder")
        .order_by("expires_on", "pk")
    )
    return list(certificates[:limit]), certificates.count()
