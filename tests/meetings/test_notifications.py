import datetime
import logging
import zoneinfo

import pytest
from django.core import mail
from django.test import override_settings
from icalendar import Calendar
from wagtail.models import Site

from peerpath import sms
from peerpath.meetings import notifications
from peerpath.meetings.booking import book, cancel
from peerpath.meetings.choices import BookingStatus, Mode
from peerpath.meetings.links import manage_url
from peerpath.meetings.roster import check_upcoming_rosters
from peerpath.meetings.scheduling import cancel_session, move_session
from peerpath.models import CrisisSignposting
from tests.factories import UserFactory

from .factories import make_booking, make_session

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("sms_outbox"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    with override_settings(PEERPATH_SMS_BACKEND="peerpath.sms.LocmemBackend"):
        yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def evening_session(workshop):
    starts_at = datetime.datetime(2030, 4, 2, 19, 0, tzinfo=LONDON)
    return make_session(
        workshop, starts_at=starts_at, accessibility_notes="Step-free entrance on Mill Lane."
    )


def calendar_of(message):
    (attachment,) = message.attachments
    assert attachment.mimetype == "text/calendar"
    content = attachment.content
    return Calendar.from_ical(content.encode() if isinstance(content, str) else content)


def test_confirmation_goes_to_the_address_given(evening_session):
    booking = make_booking(evening_session, email="sam@example.org")

    notifications.booked(booking)

    (message,) = mail.outbox
    assert message.to == ["sam@example.org"]
    assert "Your place is booked" in message.subject


def test_confirmation_gives_the_local_time_and_the_venue(evening_session):
    booking = make_booking(evening_session)

    notifications.booked(booking)

    body = mail.outbox[0].body
    assert "Tuesday 2 April 2030, 19:00 to 20:30 (BST)" in body
    assert "Riverside Community Centre" in body
    assert "Step-free entrance on Mill Lane." in body


def test_confirmation_carries_the_link_to_cancel(evening_session):
    booking = make_booking(evening_session)

    notifications.booked(booking)

    assert manage_url(booking) in mail.outbox[0].body


def test_confirmation_attaches_the_sessions_calendar_file(evening_session):
    booking = make_booking(evening_session)

    notifications.booked(booking)

    (event,) = calendar_of(mail.outbox[0]).walk("VEVENT")
    assert str(event["UID"]) == f"session-{evening_session.pk}@testserver"


def test_online_confirmation_gives_the_joining_link_in_the_mail_and_the_calendar(workshop):
    booking = make_booking(make_session(workshop, mode=Mode.ONLINE))

    notifications.booked(booking)

    message = mail.outbox[0]
    assert "https://meet.example/riverside-online" in message.body
    (event,) = calendar_of(message).walk("VEVENT")
    assert "https://meet.example/riverside-online" in str(event["DESCRIPTION"])


def test_waiting_list_message_gives_the_position_and_no_joining_link(workshop):
    session = make_session(workshop, mode=Mode.ONLINE, capacity=1)
    make_booking(session)
    make_booking(session, status=BookingStatus.WAITING)
    second = make_booking(session, status=BookingStatus.WAITING)

    notifications.booked(second)

    (message,) = mail.outbox
    assert "number 2 in line" in message.body
    assert "meet.example" not in message.body
    assert message.attachments == []


def test_account_holder_without_an_address_given_hears_at_the_accounts_address(evening_session):
    user = UserFactory(email="member@example.org", first_name="Robin")
    booking = make_booking(evening_session, user=user, first_name="")

    notifications.booked(booking)

    assert mail.outbox[0].to == ["member@example.org"]
    assert "Hello Robin," in mail.outbox[0].body


def test_participant_with_only_a_mobile_number_gets_a_text(evening_session, sms_outbox):
    booking = make_booking(evening_session, email="", phone="+447700900123")

    notifications.booked(booking)

    assert mail.outbox == []
    (text,) = sms_outbox
    assert text.to == "+447700900123"
    assert manage_url(booking) in text.body


def test_text_message_is_short(evening_session, sms_outbox):
    booking = make_booking(evening_session, email="", phone="+447700900123")

    notifications.booked(booking)

    assert len(sms_outbox[0].body) <= 320


def test_promoted_participant_gets_the_calendar_file(evening_session):
    booking = make_booking(evening_session)

    notifications.promoted(booking)

    assert "A place came free" in mail.outbox[0].subject
    assert calendar_of(mail.outbox[0]).walk("VEVENT")


def test_participant_who_cancels_is_told(evening_session):
    booking = make_booking(evening_session)
    booking.status = BookingStatus.CANCELLED
    booking.save()

    notifications.cancelled(booking)

    assert "Your booking is cancelled" in mail.outbox[0].subject


def test_confirmation_is_not_sent_for_a_booking_cancelled_before_it_went_out(evening_session):
    booking = make_booking(evening_session)
    booking.status = BookingStatus.CANCELLED
    booking.save()

    notifications.booked(booking)

    assert mail.outbox == []


def test_nothing_is_sent_to_a_booking_whose_details_were_removed(evening_session):
    booking = make_booking(evening_session)
    booking.anonymised_at = booking.created_at
    booking.save()

    notifications.booked(booking)

    assert mail.outbox == []


def test_booking_through_the_service_sends_the_confirmation_on_commit(
    session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(session, first_name="Sam", email="sam@example.org")

    assert [message.to for message in mail.outbox] == [["sam@example.org"]]


def test_cancelling_tells_the_participant_and_the_next_person_waiting(
    workshop, django_capture_on_commit_callbacks
):
    session = make_session(workshop, capacity=1)
    booking = make_booking(session, email="first@example.org")
    make_booking(session, email="next@example.org", status=BookingStatus.WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        cancel(booking)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "cancelled" in subjects["first@example.org"]
    assert "A place came free" in subjects["next@example.org"]


def test_session_cancelled_tells_everyone_booked_or_waiting_why(
    workshop, django_capture_on_commit_callbacks
):
    session = make_session(workshop, capacity=1)
    make_booking(session, email="booked@example.org")
    make_booking(session, email="waiting@example.org", status=BookingStatus.WAITING)
    make_booking(session, email="gone@example.org", status=BookingStatus.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(session, "The venue has flooded.")

    assert sorted(message.to[0] for message in mail.outbox) == [
        "booked@example.org",
        "waiting@example.org",
    ]
    assert all("The venue has flooded." in message.body for message in mail.outbox)


def test_session_cancelled_marks_the_calendar_event_cancelled(
    session, django_capture_on_commit_callbacks
):
    make_booking(session)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(session, "The venue has flooded.")

    (event,) = calendar_of(mail.outbox[0]).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_session_moved_gives_the_old_and_new_local_times(
    evening_session, django_capture_on_commit_callbacks
):
    make_booking(evening_session)
    new_start = datetime.datetime(2030, 4, 9, 18, 30, tzinfo=LONDON)

    with django_capture_on_commit_callbacks(execute=True):
        move_session(evening_session, new_start)

    body = mail.outbox[0].body
    assert "It was: Tuesday 2 April 2030, 19:00 to 20:30 (BST)" in body
    assert "It is now: Tuesday 9 April 2030, 18:30 to 20:00 (BST)" in body


def test_session_moved_sends_the_updated_calendar_file(
    evening_session, django_capture_on_commit_callbacks
):
    make_booking(evening_session)

    with django_capture_on_commit_callbacks(execute=True):
        move_session(evening_session, datetime.datetime(2030, 4, 9, 18, 30, tzinfo=LONDON))

    (event,) = calendar_of(mail.outbox[0]).walk("VEVENT")
    assert event.decoded("DTSTART").day == 9
    assert event.decoded("SEQUENCE") == 1


def test_reminder_gives_the_details_and_the_cancel_link(evening_session):
    booking = make_booking(evening_session)

    assert notifications.send_reminder(booking) is True

    body = mail.outbox[0].body
    assert "Tuesday 2 April 2030, 19:00" in body
    assert manage_url(booking) in body


def test_messages_end_with_crisis_signposting(evening_session):
    notifications.booked(make_booking(evening_session))

    assert "immediate danger" in mail.outbox[0].body


def test_messages_list_the_sites_help_lines(evening_session):
    signposting = CrisisSignposting.for_site(Site.objects.get(is_default_site=True))
    signposting.links = [
        ("link", {"label": "Samaritans (24 hours)", "phone": "116 123", "url": "", "note": ""})
    ]
    signposting.save()

    notifications.booked(make_booking(evening_session))

    assert "  - Samaritans (24 hours): 116 123" in mail.outbox[0].body


def test_a_failed_send_is_logged_by_id_and_does_not_raise(evening_session, caplog):
    booking = make_booking(evening_session, first_name="Sam", email="sam@example.org")

    with override_settings(EMAIL_BACKEND="tests.meetings.test_notifications.BrokenBackend"):
        with caplog.at_level(logging.INFO, logger="peerpath.meetings"):
            notifications.booked(booking)

    assert f"booking {booking.pk}" in caplog.text
    assert "ConnectionRefusedError" in caplog.text
    assert "sam@example.org" not in caplog.text
    assert "Sam" not in caplog.text


def test_logs_of_a_sent_message_hold_no_personal_data(evening_session, caplog, sms_outbox):
    booking = make_booking(evening_session, first_name="Sam", email="", phone="+447700900123")

    with caplog.at_level(logging.DEBUG):
        notifications.booked(booking)

    assert sms_outbox
    assert "7700900123" not in caplog.text
    assert "Sam" not in caplog.text


def test_roster_alert_goes_once_to_each_of_the_organisations_staff(organisation, editor, workshop):
    first = make_session(workshop, days_ahead=3)
    second = make_session(workshop, days_ahead=10)
    UserFactory(email="not-staff@example.org")

    check_upcoming_rosters()

    assert [message.to for message in mail.outbox] == [[editor.email]]
    body = mail.outbox[0].body
    assert "No lead facilitator." in body
    assert f"/groups/{first.pk}/roster/" in body
    assert f"/groups/{second.pk}/roster/" in body


def test_roster_alert_leaves_out_sessions_fixed_before_it_was_sent(editor, workshop):
    session = make_session(workshop)

    notifications.send_roster_alert.call(workshop.organisation.pk, [session.pk])

    assert mail.outbox == []


class BrokenBackend:
    """A mail server that refuses every connection, quoting the address as servers do."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(f"refused for {messages[0].to}")
