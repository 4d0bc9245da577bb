"""Attendance (attendance.py): the register, completing a session, self check-in, walk-ins."""

import datetime

import pytest
from django.utils import timezone

from peerpath.meetings import attendance
from peerpath.meetings.attendance import AttendanceRefused
from peerpath.meetings.models import Booking, Session

from .factories import make_booking, make_session

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def started(workshop):
    """A session that started ten minutes ago (90 minutes long)."""
    return make_session(workshop, starts_at=timezone.now() - datetime.timedelta(minutes=10))


def attended(*bookings):
    return [Booking.objects.get(pk=booking.pk).attended for booking in bookings]


def test_the_register_marks_who_came_and_counts_walk_ins(started):
    ana, ben = make_booking(started), make_booking(started)
    attendance.mark_attendance(started, [ana.pk], 3)
    assert attended(ana, ben) == [True, False]
    assert Session.objects.get(pk=started.pk).walk_ins == 3


def test_the_register_refuses_a_booking_of_another_session_and_changes_nothing(workshop, started):
    ana = make_booking(started)
    elsewhere = make_booking(make_session(workshop, starts_at=started.starts_at))
    with pytest.raises(AttendanceRefused) as refused:
        attendance.mark_attendance(started, [ana.pk, elsewhere.pk], 2)
    assert refused.value.code == "foreign"
    assert attended(ana, elsewhere) == [False, False]
    assert Session.objects.get(pk=started.pk).walk_ins == 0


def test_the_register_refuses_a_waiting_list_booking(started):
    waiting = make_booking(started, status="waiting")
    with pytest.raises(AttendanceRefused):
        attendance.mark_attendance(started, [waiting.pk], 0)
    assert attended(waiting) == [False]


def test_the_register_opens_thirty_minutes_before_the_start(workshop):
    soon = make_session(workshop, starts_at=timezone.now() + datetime.timedelta(minutes=20))
    ana = make_booking(soon)
    attendance.mark_attendance(soon, [ana.pk], 0)
    assert attended(ana) == [True]


def test_the_register_is_closed_earlier_than_that(workshop):
    later = make_session(workshop, starts_at=timezone.now() + HOUR)
    ana = make_booking(later)
    with pytest.raises(AttendanceRefused):
        attendance.mark_attendance(later, [ana.pk], 0)
    assert attended(ana) == [False]


def test_the_register_is_closed_for_a_cancelled_session(workshop):
    cancelled = make_session(
        workshop,
        starts_at=timezone.now() - HOUR,
        status="cancelled",
        cancellation_reason="Venue flooded",
    )
    ana = make_booking(cancelled)
    with pytest.raises(AttendanceRefused):
        attendance.mark_attendance(cancelled, [ana.pk], 1)
    assert attended(ana) == [False]


def test_saving_the_register_keeps_a_check_in_made_since_it_was_shown(started):
    ana, ben = make_booking(started), make_booking(started)
    shown = {"shown_came": [], "shown_walk_ins": 0}
    attendance.check_in(started, started.check_in_code, email=ben.email)
    attendance.record_walk_in(started, started.check_in_code)
    attendance.mark_attendance(started, [ana.pk], 2, **shown)
    assert attended(ana, ben) == [True, True]
    assert Session.objects.get(pk=started.pk).walk_ins == 3


def test_unticking_someone_clears_their_own_check_in(started):
    ana = make_booking(started)
    attendance.check_in(started, started.check_in_code, email=ana.email)
    attendance.mark_attendance(started, [], 0, shown_came=[ana.pk], shown_walk_ins=0)
    ana.refresh_from_db()
    assert (ana.attended, ana.checked_in_at) == (False, None)


def test_completing_records_attended_bookings_plus_walk_ins(started):
    ana, _ben, cy = make_booking(started), make_booking(started), make_booking(started)
    attendance.mark_attendance(started, [ana.pk, cy.pk], 4)
    session = attendance.complete_session(started)
    stored = Session.objects.get(pk=started.pk)
    assert (stored.status, stored.attendance_count) == ("completed", 6)
    assert stored.completed_at is not None and session.attendance_count == 6


def test_completing_twice_is_refused_and_keeps_the_first_record(started):
    make_booking(started, attended=True)
    first = attendance.complete_session(started)
    with pytest.raises(AttendanceRefused):
        attendance.complete_session(started, now=timezone.now() + HOUR)
    stored = Session.objects.get(pk=started.pk)
    assert (stored.completed_at, stored.attendance_count) == (first.completed_at, 1)


def test_a_session_that_has_not_started_cannot_be_completed(session):
    with pytest.raises(AttendanceRefused):
        attendance.complete_session(session)
    assert Session.objects.get(pk=session.pk).status == "scheduled"


def test_a_cancelled_session_cannot_be_completed(workshop):
    cancelled = make_session(
        workshop, starts_at=timezone.now() - HOUR, status="cancelled", cancellation_reason="Snow"
    )
    with pytest.raises(AttendanceRefused):
        attendance.complete_session(cancelled)
    assert Session.objects.get(pk=cancelled.pk).attendance_count is None


def test_a_correction_after_completing_updates_the_recorded_count(started):
    ana = make_booking(started)
    attendance.complete_session(started)
    attendance.mark_attendance(started, [ana.pk], 2)
    assert Session.objects.get(pk=started.pk).attendance_count == 3


def test_checking_in_by_e_mail_marks_the_booking_attended_and_when(started):
    ana = make_booking(started, email="ana@example.org")
    attendance.check_in(started, started.check_in_code.lower(), email="Ana@Example.org")
    ana.refresh_from_db()
    assert ana.attended and ana.checked_in_at is not None


@pytest.mark.parametrize("typed", ["07700 900123", "+44 7700 900123", "0044-7700-900123"])
def test_checking_in_by_mobile_number_matches_however_it_is_typed(started, typed):
    ben = make_booking(started, email="", phone="+447700900123")
    attendance.check_in(started, started.check_in_code, phone=typed)
    assert attended(ben) == [True]


def test_a_short_number_matches_nobody(started):
    ben = make_booking(started, email="", phone="+447700900123")
    with pytest.raises(AttendanceRefused):
        attendance.check_in(started, started.check_in_code, phone="0123")
    assert attended(ben) == [False]


def test_a_signed_in_participant_checks_in_with_their_account(started, user):
    booking = make_booking(started, user=user)
    attendance.check_in(started, started.check_in_code, user=user)
    assert attended(booking) == [True]


def test_a_wrong_code_and_an_unknown_address_get_the_same_refusal(started):
    ana = make_booking(started, email="ana@example.org")
    with pytest.raises(AttendanceRefused) as wrong_code:
        attendance.check_in(started, "ZZZZZZ", email="ana@example.org")
    with pytest.raises(AttendanceRefused) as unknown:
        attendance.check_in(started, started.check_in_code, email="nobody@example.org")
    assert wrong_code.value.message == unknown.value.message == attendance.NOT_MATCHED
    assert attended(ana) == [False]


def test_a_waiting_list_booking_cannot_check_in(started):
    waiting = make_booking(started, email="wait@example.org", status="waiting")
    with pytest.raises(AttendanceRefused):
        attendance.check_in(started, started.check_in_code, email="wait@example.org")
    assert attended(waiting) == [False]


@pytest.mark.parametrize(
    "starts_in",
    [datetime.timedelta(minutes=45), -datetime.timedelta(minutes=90 + 31)],
    ids=["too-early", "too-late"],
)
def test_check_in_is_refused_outside_its_window(workshop, starts_in):
    session = make_session(workshop, starts_at=timezone.now() + starts_in)
    ana = make_booking(session, email="ana@example.org")
    with pytest.raises(AttendanceRefused) as refused:
        attendance.check_in(session, session.check_in_code, email="ana@example.org")
    assert refused.value.code == "closed"
    assert attended(ana) == [False]


def test_check_in_is_open_until_thirty_minutes_after_the_end(workshop):
    session = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(minutes=110))
    ana = make_booking(session, email="ana@example.org")
    attendance.check_in(session, session.check_in_code, email="ana@example.org")
    assert attended(ana) == [True]


def test_a_walk_in_adds_one_to_the_walk_ins(started):
    attendance.record_walk_in(started, started.check_in_code)
    attendance.record_walk_in(started, started.check_in_code)
    assert Session.objects.get(pk=started.pk).walk_ins == 2


def test_a_walk_in_with_a_wrong_code_is_not_counted(started):
    with pytest.raises(AttendanceRefused):
        attendance.record_walk_in(started, "WRONG1")
    assert Session.objects.get(pk=started.pk).walk_ins == 0


def test_a_completed_session_takes_no_more_check_ins(started):
    attendance.complete_session(started)
    with pytest.raises(AttendanceRefused):
        attendance.record_walk_in(started, started.check_in_code)
    assert Session.objects.get(pk=started.pk).walk_ins == 0
