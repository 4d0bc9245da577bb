"""The impact report's figures (coordination/impact.py) on a small hand-built world, its periods,
small-number suppression and its query count."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerpath.coordination import impact
from peerpath.meetings.models import Debrief, FeedbackResponse
from peerpath.workshops.choices import Format
from tests.coordination.impact_world import PERIOD_END, PERIOD_START, build_world, came, held
from tests.training.factories import build_module

pytestmark = pytest.mark.django_db

QUARTER = impact.Period(impact.QUARTER, PERIOD_START, PERIOD_END)


@pytest.fixture
def world(organisation, other_organisation, programme, other_programme):
    build_module(programme, title="Listening", estimated_minutes=90)
    build_module(programme, title="Optional", estimated_minutes=600, is_required=False)
    return build_world(
        organisation,
        other_organisation,
        programme,
        other_programme,
        organisation.index_page,
        other_organisation.index_page,
    )


@pytest.fixture
def report(world, organisation):
    return impact.impact_report(organisation, QUARTER)


# --- Periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "anchor", "start", "end"),
    [
        (impact.MONTH, "2026-02-14", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        (impact.QUARTER, "2026-05-15", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (impact.QUARTER, "2026-12-31", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        (
            impact.YEAR,
            datetime.date(2025, 7, 1),
            datetime.date(2025, 1, 1),
            datetime.date(2025, 12, 31),
        ),
    ],
)
def test_a_period_is_the_calendar_unit_containing_the_day(kind, anchor, start, end):
    period = impact.period_for(kind, anchor)
    assert (period.start, period.end) == (start, end)


def test_the_previous_period_is_the_unit_before():
    assert impact.period_for(impact.QUARTER, "2026-05-15").previous() == impact.Period(
        impact.QUARTER, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    )
    assert impact.period_for(impact.MONTH, "2026-03-31").previous().end == datetime.date(
        2026, 2, 28
    )


def test_a_custom_period_is_followed_by_one_as_long_before_it():
    period = impact.period_for(impact.CUSTOM, start="2026-03-10", end="2026-03-19")
    assert period.previous() == impact.Period(
        impact.CUSTOM, datetime.date(2026, 2, 28), datetime.date(2026, 3, 9)
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-03-10", "2026-03-09"),  # ends before it starts
        ("2020-01-01", "2023-01-01"),  # over three years
        ("2026-02-30", "2026-03-01"),  # not a date
        ("yesterday", "2026-03-01"),
        ("", "2026-03-01"),
        (None, None),
        ("2026-01-01\x00", "2026-02-01"),
    ],
)
def test_a_custom_period_that_cannot_be_reported_is_refused(start, end):
    with pytest.raises(impact.PeriodError):
        impact.period_for(impact.CUSTOM, start=start, end=end)


def test_three_years_to_the_day_is_the_longest_period():
    period = impact.period_for(impact.CUSTOM, start="2023-01-01", end="2025-12-31")
    assert period.end == datetime.date(2025, 12, 31)


def test_an_unknown_kind_of_period_is_refused():
    with pytest.raises(impact.PeriodError):
        impact.period_for("fortnight", "2026-01-01")


# --- Sessions and participants ------------------------------------------------------------------


def test_sessions_held_count_completed_sessions_of_the_organisation_in_the_period(report):
    assert report.sessions == 2
    assert report.sessions_by_format == {Format.SUPPORT_GROUP: 1, Format.WORKSHOP: 1}
    assert [(m.month, m.sessions) for m in report.months] == [
        (datetime.date(2026, 4, 1), 1),
        (datetime.date(2026, 5, 1), 1),
        (datetime.date(2026, 6, 1), 0),
    ]


def test_attendances_are_the_registers_corrected_by_the_debrief(report):
    # April: 3 came + 1 walk-in; May: the register said 4, the lead's debrief 5.
    assert [m.attendances for m in report.months] == [4, 5, 0]
    assert report.attendances == 9


def test_unique_participants_count_each_known_person_once_and_removed_first_visits(report):
    # a (twice, any case), b, c, d; one anonymised first visit; the anonymised return is not new.
    assert report.unique_participants == 5
    assert report.returning_attendances == 1


def test_facilitators_active_led_or_co_facilitated_a_session_held(report):
    assert report.facilitators_active == 2  # not the cancelled session's lead


# --- Certification ------------------------------------------------------------------------------


def test_certification_counts_members_by_status_at_the_periods_end(report):
    assert report.certified == 2  # valid and expiring; not one issued later, elsewhere, or run
    assert report.expiring == 1
    assert report.lapsed == 1
    assert report.certification["expired"] == 1
    assert report.certification["valid_not_expiring"] == 1


# --- Training -----------------------------------------------------------------------------------


def test_training_completions_and_hours_are_members_completions_in_the_period(report):
    assert report.completions == 2
    # The required module's 90 minutes, as certificates count training hours, for each.
    assert report.training_hours == Decimal("3.0")


def test_continuing_education_hours_are_members_activities_in_the_period(report):
    assert report.ce_hours == Decimal("3.5")
    assert report.ce_learners == 2


# --- Signposting and feedback -------------------------------------------------------------------


def test_small_signposting_counts_and_feedback_are_suppressed(report):
    [(name, count)] = report.signposting
    assert name == "Housing"
    assert count.count == 2 and count.suppressed
    assert count.shown == "fewer than 5"
    assert report.feedback.count == 4 and report.feedback.suppressed
    assert report.feedback.felt_safe is None
    assert report.feedback_responses.shown == "fewer than 5"


def test_signposting_and_feedback_show_from_five(world, organisation):
    for day in range(1, 4):
        session = held(world["group"], datetime.date(2026, 6, day), attendance=1)
        came(session)
        Debrief.objects.create(session=session, attendance=1, how_it_went="well")
        session.debrief.signposting.add(world["housing"])
    FeedbackResponse.objects.create(
        session=world["may"],
        felt_safe=1,
        felt_heard=1,
        would_return=1,
        submitted_on=datetime.date(2026, 5, 14),
    )
    report = impact.impact_report(organisation, QUARTER)
    [(_name, count)] = report.signposting
    assert count.shown == 5
    assert report.feedback_responses.shown == 5
    assert report.feedback.felt_safe == 3.6


# --- Comparison ---------------------------------------------------------------------------------


def test_the_previous_period_is_reported_for_comparison(report):
    previous = report.previous
    assert previous.period.end == datetime.date(2026, 3, 31)
    assert (previous.sessions, previous.attendances, previous.completions) == (1, 2, 1)
    assert previous.ce_hours == Decimal("3.0")
    changes = {h.key: h.change for h in report.headlines()}
    assert changes["sessions"] == "up"
    assert changes["ce_hours"] == "up"
    assert previous.previous is None


def test_an_organisation_with_nothing_gets_zeros(other_organisation):
    report = impact.impact_report(other_organisation, QUARTER)
    assert report.sessions == 0
    assert report.certified == 0
    assert report.training_hours == Decimal("0.0")
    assert report.signposting == []


# --- People who need attention ------------------------------------------------------------------


def test_people_who_need_attention_are_expiring_or_lapsed_members(world, organisation):
    certificates, count = impact.needing_attention(organisation, today=PERIOD_END)
    assert count == 2
    assert [c.holder for c in certificates] == [world["lapsed"], world["expiring"]]


# --- Queries ------------------------------------------------------------------------------------


def test_the_report_takes_the_same_queries_however_many_sessions(world, organisation):
    with CaptureQueriesContext(connection) as small:
        impact.impact_report(organisation, QUARTER)
    for day in range(1, 20):
        session = held(world["course"], datetime.date(2026, 4, day), attendance=2)
        came(session)
        came(session)
    with CaptureQueriesContext(connection) as large:
        report = impact.impact_report(organisation, QUARTER)
    assert report.sessions == 21
    assert len(large.captured_queries) == len(small.captured_queries) <= 24
