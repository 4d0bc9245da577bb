import datetime
import logging

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from peerpath.meetings.choices import BookingStatus, SessionStatus
from peerpath.meetings.models import Booking
from peerpath.meetings.reminders import claim, send_session_reminders

from .factories import make_booking, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow(workshop):
    return make_session(workshop, starts_at=timezone.now() + datetime.timedelta(hours=20))


def test_confirmed_booking_of_a_session_within_the_window_is_reminded(tomorrow):
    booking = make_booking(tomorrow, email="sam@example.org")

    assert send_session_reminders() == 1

    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    booking.refresh_from_db()
    assert booking.reminded_at is not None


def test_a_second_run_sends_nothing(tomorrow):
    make_booking(tomorrow)
    send_session_reminders()

    assert send_session_reminders() == 0
    assert len(mail.outbox) == 1


def test_a_booking_another_run_already_claimed_is_not_sent(tomorrow):
    booking = make_booking(tomorrow)
    Booking.objects.filter(pk=booking.pk).update(reminded_at=timezone.now())

    assert send_session_reminders() == 0
    assert mail.outbox == []


def test_session_beyond_the_window_is_not_reminded_yet(workshop):
    make_booking(make_session(workshop, starts_at=timezone.now() + datetime.timedelta(hours=30)))

    assert send_session_reminders() == 0


@override_settings(PEERPATH_SESSION_REMINDER_HOURS=48)
def test_the_window_follows_the_setting(workshop):
    make_booking(make_session(workshop, starts_at=timezone.now() + datetime.timedelta(hours=30)))

    assert send_session_reminders() == 1


def test_waiting_list_places_are_not_reminded(tomorrow):
    make_booking(tomorrow, status=BookingStatus.WAITING)

    assert send_session_reminders() == 0


def test_cancelled_bookings_are_not_reminded(tomorrow):
    make_booking(tomorrow, status=BookingStatus.CANCELLED)

    assert send_session_reminders() == 0


def test_bookings_of_a_cancelled_session_are_not_reminded(tomorrow):
    make_booking(tomorrow)
    tomorrow.status = SessionStatus.CANCELLED
    tomorrow.cancellation_reason = "The venue has flooded."
    tomorrow.save()

    assert send_session_reminders() == 0


def test_a_session_that_has_started_is_not_reminded(workshop):
    started = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    make_booking(started)

    assert send_session_reminders() == 0


def test_a_failed_send_gives_the_claim_back_for_the_next_run(tomorrow, caplog):
    booking = make_booking(tomorrow)

    with override_settings(EMAIL_BACKEND="tests.meetings.test_notifications.BrokenBackend"):
        with caplog.at_level(logging.ERROR):
            assert send_session_reminders() == 0
    booking.refresh_from_db()
    assert booking.reminded_at is None

    assert send_session_reminders() == 1


def test_a_moved_session_is_reminded_again_at_its_new_time(tomorrow):
    booking = make_booking(tomorrow)
    send_session_reminders()
    Booking.objects.filter(pk=booking.pk).update(reminded_at=None)  # what move_session does

    assert send_session_reminders() == 1


def test_only_the_first_of_two_runs_claiming_a_booking_gets_it(tomorrow):
    booking = make_booking(tomorrow)
    now = timezone.now()

    assert claim(booking.pk, now) is True
    assert claim(booking.pk, now) is False
