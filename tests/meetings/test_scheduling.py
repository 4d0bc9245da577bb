"""Series become dated sessions: rrule dates, local times across daylight saving, exceptions."""

import datetime
import zoneinfo

import pytest

from peerpath.meetings.choices import Frequency
from peerpath.meetings.models import Session
from peerpath.meetings.roster import set_series_roster
from peerpath.meetings.scheduling import (
    ScheduleError,
    cancel_session,
    extend_series,
    local_datetime,
    move_session,
)

from .factories import make_booking, make_series

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_a_weekly_series_keeps_its_local_start_across_the_clocks_going_back(workshop):
    # 2026-10-25: British Summer Time ends. 19:00 is 18:00 UTC before and 19:00 UTC after.
    series = make_series(
        workshop, starts_on=datetime.date(2026, 10, 13), ends_on=datetime.date(2026, 11, 3)
    )
    extend_series(series, today=datetime.date(2026, 10, 1), horizon_days=60)
    sessions = list(Session.objects.filter(series=series).order_by("starts_at"))
    assert [s.local_start.date() for s in sessions] == [
        datetime.date(2026, 10, 13),
        datetime.date(2026, 10, 20),
        datetime.date(2026, 10, 27),
        datetime.date(2026, 11, 3),
    ]
    assert {s.local_start.time() for s in sessions} == {datetime.time(19, 0)}
    assert [s.starts_at.astimezone(datetime.UTC).hour for s in sessions] == [18, 18, 19, 19]
    assert {s.local_weekday for s in sessions} == {1}
    assert {s.local_start_minutes for s in sessions} == {19 * 60}


def test_a_fortnightly_series_skips_a_week(workshop):
    series = make_series(
        workshop, frequency=Frequency.FORTNIGHTLY, starts_on=datetime.date(2027, 1, 6)
    )
    extend_series(series, today=datetime.date(2027, 1, 1), horizon_days=30)
    dates = [s.local_start.date() for s in Session.objects.filter(series=series)]
    assert dates == [datetime.date(2027, 1, 6), datetime.date(2027, 1, 20)]


def test_a_monthly_series_meets_on_the_same_nth_weekday(workshop):
    # 2027-01-12 is the second Tuesday of January.
    series = make_series(
        workshop, frequency=Frequency.MONTHLY, starts_on=datetime.date(2027, 1, 12)
    )
    extend_series(series, today=datetime.date(2027, 1, 1), horizon_days=110)
    dates = [s.local_start.date() for s in Session.objects.filter(series=series)]
    assert dates == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 2, 9),
        datetime.date(2027, 3, 9),
        datetime.date(2027, 4, 13),
    ]


def test_extending_twice_makes_no_duplicates_and_never_revives_a_cancelled_date(workshop):
    series = make_series(workshop, starts_on=datetime.date(2027, 1, 5))
    assert extend_series(series, today=datetime.date(2027, 1, 1), horizon_days=21) == 3
    first = Session.objects.filter(series=series).first()
    cancel_session(first, "The venue is closed for repairs.")
    assert extend_series(series, today=datetime.date(2027, 1, 1), horizon_days=21) == 0
    assert Session.objects.filter(series=series).count() == 3
    first.refresh_from_db()
    assert first.is_cancelled


def test_a_moved_session_keeps_its_original_date_and_is_not_made_again(workshop):
    series = make_series(workshop, starts_on=datetime.date(2027, 1, 5))
    extend_series(series, today=datetime.date(2027, 1, 1), horizon_days=7)
    session = Session.objects.get(series=series)
    moved = move_session(
        session,
        local_datetime(datetime.date(2027, 1, 7), datetime.time(18, 30), "Europe/London"),
        now=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
    )
    assert moved.moved_from == session.starts_at
    assert moved.local_weekday == 3
    assert extend_series(series, today=datetime.date(2027, 1, 1), horizon_days=7) == 0


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(session):
    with pytest.raises(ScheduleError):
        cancel_session(session, "  ")
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_a_session_cannot_be_moved_into_the_past(session):
    make_booking(session)
    with pytest.raises(ScheduleError):
        move_session(session, session.starts_at - datetime.timedelta(days=30))
    assert Session.objects.get(pk=session.pk).starts_at == session.starts_at


def test_a_time_the_clocks_skip_resolves_to_a_real_instant():
    # 2027-03-28 01:30 does not exist in London (clocks jump from 01:00 to 02:00).
    moment = local_datetime(datetime.date(2027, 3, 28), datetime.time(1, 30), "Europe/London")
    assert moment.astimezone(LONDON).hour == 2


def test_new_dates_of_a_series_get_its_roster(workshop, facilitator):
    series = make_series(workshop, starts_on=datetime.date(2027, 1, 5))
    set_series_roster(series, facilitator)
    extend_series(series, today=datetime.date(2027, 1, 1), horizon_days=14)
    sessions = Session.objects.filter(series=series)
    assert sessions.count() == 2
    assert all(s.roster.get().facilitator == facilitator for s in sessions)
