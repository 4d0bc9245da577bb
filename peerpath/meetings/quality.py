"""Quality at a glance: the one home of the quality figures an organisation and a facilitator see,
and of small-number suppression.

Feedback averages are shown only when at least `MIN_RESPONSES` answers stand behind them, so no
participant's answer can be picked out: `summarise_feedback` is the one place that decides, and
every page and export that shows an average (the Quality report, its CSV and XLSX, the facilitator's
feedback page) reads it from a `FeedbackSummary` made there. Comments are for the organisation's
staff; a facilitator sees a comment only once staff release it (`set_comment_released`).

`quality_report` groups the completed sessions of a selection by workshop, facilitator or month in
a fixed number of queries, however many sessions there are: each figure is one grouped query, and
rows are never ranked (facilitators are listed by name: a way to grow, not a league table).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Avg, CharField, Count, F, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from peerpath.workshops import logbook

from .choices import ConcernStatus, Role, SessionStatus
from .models import (
    Booking,
    Debrief,
    FeedbackResponse,
    RosterAssignment,
    SafeguardingConcern,
    Session,
)
from .permissions import scope

#: Fewer answers than this and no average is shown anywhere: "Not enough responses yet".
MIN_RESPONSES = 5
#: The report's period when none is given: the last three months.
DEFAULT_PERIOD_MONTHS = 3
#: Who may see the Quality report and the comments, and who may release a comment.
VIEW_PERMISSION = "peerpath_meetings.view_feedbackresponse"
RELEASE_PERMISSION = "peerpath_meetings.change_feedbackresponse"


# --- Feedback and its suppression ---------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackSummary:
    """How many answered, and the average of each statement (1–5), or None for every average when
    fewer than `MIN_RESPONSES` answered (`suppressed`)."""

    count: int
    felt_safe: float | None
    felt_heard: float | None
    would_return: float | None

    needed = MIN_RESPONSES

    @property
    def suppressed(self):
        return self.count < MIN_RESPONSES

    @property
    def statements(self):
        """(the statement as participants read it, its average) in the form's order."""
        return [
            (label, getattr(self, name))
            for name, label in zip(FeedbackResponse.STATEMENTS, statement_labels(), strict=True)
        ]


def statement_labels():
    """The feedback statements as participants read them ("I felt safe", …), in order."""
    return [
        FeedbackResponse._meta.get_field(name).verbose_name for name in FeedbackResponse.STATEMENTS
    ]


def summarise_feedback(count, averages):
    """The one place small numbers are suppressed: `count` answers with `averages` (statement
    field name → average) become a `FeedbackSummary`, its averages None below `MIN_RESPONSES`."""
    count = count or 0
    figures = {}
    for name in FeedbackResponse.STATEMENTS:
        average = averages.get(name)
        shown = count >= MIN_RESPONSES and average is not None
        figures[name] = round(float(average), 1) if shown else None
    return FeedbackSummary(count=count, **figures)


def feedback_averages():
    """The aggregates `summarise_feedback` takes: the answer count and each statement's average."""
    return {"count": Count("pk"), **{name: Avg(name) for name in FeedbackResponse.STATEMENTS}}


def feedback_summary(responses):
    """The `FeedbackSummary` of a queryset of `FeedbackResponse`s (one query)."""
    figures = responses.aggregate(**feedback_averages())
    return summarise_feedback(figures.pop("count"), figures)


# --- Who sees what ------------------------------------------------------------------------------


def can_view_quality(user):
    """Staff with the feedback view permission (an organisation's staff hold it), superusers."""
    return user.is_active and user.has_perm(VIEW_PERMISSION)


def can_release_comments(user):
    return user.is_active and user.has_perm(RELEASE_PERMISSION)


def feedback_in_scope(user):
    """Feedback on the sessions of `user`'s organisations (all, for superusers)."""
    return FeedbackResponse.objects.filter(
        session__in=scope(Session.objects.all(), user).values("pk")
    )


def comments_for_staff(user):
    """The comments on `user`'s organisations' sessions, newest first."""
    return (
        feedback_in_scope(user)
        .exclude(comment="")
        .select_related("session__workshop")
        .order_by("-submitted_on", "-pk")
    )


def set_comment_released(response, released):
    """Release a comment to the session's facilitators, or withdraw it. Saving the same state
    twice changes nothing."""
    if response.comment_released != released:
        response.comment_released = released
        response.save(update_fields=["comment_released"])
    return response


# --- The report ---------------------------------------------------------------------------------

WORKSHOP, FACILITATOR, MONTH = "workshop", "facilitator", "month"
#: How the report may be grouped, as the filter offers it.
GROUP_BY_CHOICES = [
    (WORKSHOP, _("Workshop")),
    (FACILITATOR, _("Facilitator")),
    (MONTH, _("Month")),
]
#: Everything in one row: the summary at the top of the report.
TOTAL = "total"


def default_period(today=None):
    """The report's period when none is chosen: (three months ago, today)."""
    today = today or timezone.localdate()
    return today - relativedelta(months=DEFAULT_PERIOD_MONTHS), today


def sessions_for_report(user, start, end, *, organisation=None, workshop=None):
    """Sessions of `user`'s organisations starting between `start` and `end` (dates, inclusive),
    optionally of one organisation or workshop."""
    sessions = scope(Session.objects.all(), user).filter(starts_at__date__range=(start, end))
    if organisation is not None:
        sessions = sessions.filter(organisation=organisation)
    if workshop is not None:
        sessions = sessions.filter(workshop=workshop)
    return sessions


def group_key(group_by, prefix=""):
    """The expression a figure is grouped on, read through `prefix` (the path to the session)."""
    if group_by == WORKSHOP:
        return F(f"{prefix}workshop")
    if group_by == FACILITATOR:
        return F(f"{prefix}roster__facilitator")
    if group_by == MONTH:
        return TruncMonth(f"{prefix}starts_at")
    return Value(TOTAL, output_field=CharField())


#: What names each group, read with the sessions-held figures.
LABEL_FIELDS = {
    WORKSHOP: {"title": "workshop__title"},
    FACILITATOR: {
        "first_name": "roster__facilitator__first_name",
        "last_name": "roster__facilitator__last_name",
        "username": "roster__facilitator__username",
    },
}


@dataclass
class FidelityFigure:
    """One check of a fidelity checklist: in how many debriefs it was asked and ticked."""

    check: str
    asked: int = 0
    ticked: int = 0

    @property
    def percent(self):
        return round(100 * self.ticked / self.asked) if self.asked else None


@dataclass
class QualityRow:
    """The figures of one group of completed sessions. Concerns are counts and statuses only."""

    key: object
    label: str
    sort_key: tuple
    sessions: int = 0
    attendance: int = 0
    mean_attendance: float | None = None
    debriefs_missing: int = 0
    returning: int = 0
    feedback: FeedbackSummary = field(default_factory=lambda: summarise_feedback(0, {}))
    signposting: dict = field(default_factory=dict)
    concerns: int = 0
    concerns_by_status: dict = field(default_factory=dict)
    fidelity: dict = field(default_factory=dict)

    @property
    def open_concerns(self):
        return self.concerns_by_status.get(ConcernStatus.OPEN, 0)

    @property
    def concern_statuses(self):
        """(status label, count) for every status, in the order concerns move through them."""
        return [(status.label, self.concerns_by_status.get(status, 0)) for status in ConcernStatus]

    @property
    def fidelity_figures(self):
        return list(self.fidelity.values())


def row_label(group_by, key, values):
    if group_by == WORKSHOP:
        return values["title"], (values["title"].casefold(),)
    if group_by == FACILITATOR:
        if key is None:
            return str(_("Nobody on the roster")), ("\uffff",)
        name = f"{values['first_name']} {values['last_name']}".strip() or values["username"]
        return name, (values["last_name"].casefold(), values["first_name"].casefold(), key)
    if group_by == MONTH:
        return date_format(key, "F Y"), (key,)
    return str(_("All sessions")), ()


def quality_report(sessions, group_by):
    """The completed sessions among `sessions`, grouped by `group_by` (`WORKSHOP`,
    `FACILITATOR`, `MONTH`, or `TOTAL` for one row): a list of `QualityRow`s, in name or date
    order, never ranked. Six queries, however many sessions and groups."""
    # Unordered: a grouped query must group only on its key (PostgreSQL refuses an ORDER BY on
    # anything else, such as an ordering the caller's queryset carries).
    held = sessions.filter(status=SessionStatus.COMPLETED).order_by()
    held_ids = held.values("pk")
    labels = {name: F(path) for name, path in LABEL_FIELDS.get(group_by, {}).items()}

    rows = {}
    for values in held.values(key=group_key(group_by), **labels).annotate(
        held=Count("pk"),
        # The lead's count in the debrief, where there is one: it corrects the register's.
        attendance=Sum(Coalesce("debrief__attendance", "attendance_count")),
        mean=Avg(Coalesce("debrief__attendance", "attendance_count")),
        missing=Count("pk", filter=Q(debrief__isnull=True)),
    ):
        key = values["key"]
        label, sort_key = row_label(group_by, key, values)
        rows[key] = QualityRow(
            key=key,
            label=label,
            sort_key=sort_key,
            sessions=values["held"],
            attendance=values["attendance"] or 0,
            mean_attendance=None if values["mean"] is None else round(values["mean"], 1),
            debriefs_missing=values["missing"],
        )

    returning = Booking.objects.filter(session__in=held_ids, attended=True, returning=True)
    for values in (
        returning.order_by().values(key=group_key(group_by, "session__")).annotate(n=Count("pk"))
    ):
        if values["key"] in rows:
            rows[values["key"]].returning = values["n"]

    feedback = FeedbackResponse.objects.filter(session__in=held_ids)
    for values in (
        feedback.order_by()
        .values(key=group_key(group_by, "session__"))
        .annotate(**feedback_averages())
    ):
        if values["key"] in rows:
            key = values.pop("key")
            rows[key].feedback = summarise_feedback(values.pop("count"), values)

    signposting = Debrief.signposting.through.objects.filter(debrief__session__in=held_ids)
    for values in (
        signposting.values(
            key=group_key(group_by, "debrief__session__"), name=F("signpostingcategory__name")
        )
        .annotate(n=Count("pk"), order=Min("signpostingcategory__sort_order"))
        .order_by("order", "name")
    ):
        if values["key"] in rows:
            rows[values["key"]].signposting[values["name"]] = values["n"]

    concerns = SafeguardingConcern.objects.filter(session__in=held_ids)
    for values in (
        concerns.order_by()
        .values("status", key=group_key(group_by, "session__"))
        .annotate(n=Count("pk"))
    ):
        if values["key"] in rows:
            row = rows[values["key"]]
            row.concerns += values["n"]
            row.concerns_by_status[values["status"]] = values["n"]

    debriefs = Debrief.objects.filter(session__in=held_ids).order_by("session__starts_at", "pk")
    for key, checklist in debriefs.values_list(group_key(group_by, "session__"), "fidelity"):
        if key in rows:
            tally_fidelity(rows[key].fidelity, checklist)

    return sorted(rows.values(), key=lambda row: row.sort_key)


def tally_fidelity(figures, checklist):
    """Add one debrief's ticked checklist ([{"check": …, "done": …}, …]) to `figures` (check →
    `FidelityFigure`), ignoring anything that is not a check."""
    if not isinstance(checklist, list):
        return
    for item in checklist:
        if not isinstance(item, dict) or not isinstance(item.get("check"), str):
            continue
        figure = figures.setdefault(item["check"], FidelityFigure(item["check"]))
        figure.asked += 1
        figure.ticked += item.get("done") is True


def quality_totals(sessions):
    """The report's summary row: every completed session among `sessions` in one `QualityRow`."""
    rows = quality_report(sessions, TOTAL)
    if rows:
        return rows[0]
    return QualityRow(key=TOTAL, label=str(_("All sessions")), sort_key=())


# --- For the facilitator ------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilitatorSummary:
    """A facilitator's own record and feedback, as their feedback page shows it."""

    led: int
    co_facilitated: int
    confirmed_sessions: int
    confirmed_hours: float
    pending: int  # made from sessions, awaiting confirmation or queried
    feedback: FeedbackSummary
    feedback_until: date

    @property
    def feedback_counted_to(self):
        """The last day whose answers the feedback figures include."""
        return self.feedback_until - timedelta(days=1)


def feedback_cut_off(today=None):
    """The facilitator's feedback is counted up to the end of last month: figures that changed
    after every session would let someone work out the answers of that one session."""
    return (today or timezone.localdate()).replace(day=1)


def rostered_sessions(user):
    return RosterAssignment.objects.filter(facilitator=user).values("session_id")


def facilitator_summary(user, today=None):
    """`user`'s completed sessions as lead and as co-facilitator, their confirmed log entries and
    hours (what renewal counts), and the feedback on every session they were on the roster for
    up to `feedback_cut_off`, suppressed below `MIN_RESPONSES` (three queries)."""
    sessions = RosterAssignment.objects.filter(
        facilitator=user, session__status=SessionStatus.COMPLETED
    ).aggregate(
        led=Count("pk", filter=Q(role=Role.LEAD)),
        co=Count("pk", filter=Q(role=Role.CO)),
    )
    record = logbook.totals_for(user)
    until = feedback_cut_off(today)
    feedback = feedback_summary(
        FeedbackResponse.objects.filter(session__in=rostered_sessions(user), submitted_on__lt=until)
    )
    return FacilitatorSummary(
        led=sessions["led"],
        co_facilitated=sessions["co"],
        confirmed_sessions=record["confirmed_sessions"],
        confirmed_hours=record["confirmed_hours"],
        pending=record["pending_sessions"],
        feedback=feedback,
        feedback_until=until,
    )


def released_comments_for(user):
    """Comments staff released on sessions `user` was on the roster for, newest first."""
    return (
        FeedbackResponse.objects.filter(session__in=rostered_sessions(user), comment_released=True)
        .exclude(comment="")
        .select_related("session__workshop")
        .order_by("-submitted_on", "-pk")
    )
