import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from peerpath.meetings.models import Booking, Session

from .factories import make_booking, make_series, make_session

pytestmark = pytest.mark.django_db


def run(name):
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()


def test_send_session_reminders_reports_the_count_and_is_safe_to_repeat(workshop):
    session = make_session(workshop, starts_at=timezone.now() + datetime.timedelta(hours=3))
    make_booking(session)
    make_booking(session)

    assert run("send_session_reminders") == "Sent 2 session reminder(s)."
    assert run("send_session_reminders") == "Sent 0 session reminder(s)."


def test_check_session_rosters_reports_newly_flagged_sessions(workshop):
    make_session(workshop)

    assert run("check_session_rosters") == "Flagged 1 session roster(s)."
    assert run("check_session_rosters") == "Flagged 0 session roster(s)."


def test_extend_session_series_makes_missing_dates_once(workshop):
    series = make_series(workshop, ends_on=timezone.localdate() + datetime.timedelta(days=20))
    Session.objects.filter(series=series).delete()

    first = run("extend_session_series")

    made = Session.objects.filter(series=series).count()
    assert made > 0
    assert first == f"Made {made} session(s)."
    assert run("extend_session_series") == "Made 0 session(s)."


def test_anonymise_past_bookings_reports_the_count_and_is_safe_to_repeat(workshop):
    old = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(days=200))
    booking = make_booking(old)

    assert run("anonymise_past_bookings") == "Anonymised 1 past booking(s)."
    assert run("anonymise_past_bookings") == "Anonymised 0 past booking(s)."
    assert Booking.objects.get(pk=booking.pk).email == ""
