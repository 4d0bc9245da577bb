import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from peerpath.accounts.privacy import collect_personal_data, erase_account
from peerpath.meetings.choices import BookingStatus, Role
from peerpath.meetings.models import Booking, Debrief, RosterAssignment, SafeguardingConcern
from peerpath.meetings.privacy import anonymise_past_bookings
from tests.factories import UserFactory

from .factories import make_booking, make_facilitator, make_session, put_on_roster

pytestmark = pytest.mark.django_db

PERSONAL = ("first_name", "email", "phone", "access_needs")


@pytest.fixture
def member():
    return UserFactory(email="robin@example.org", first_name="Robin")


def days_ago(workshop, days):
    return make_session(workshop, starts_at=timezone.now() - datetime.timedelta(days=days))


def assert_anonymised(booking):
    booking.refresh_from_db()
    assert [getattr(booking, field) for field in PERSONAL] == ["", "", "", ""]
    assert booking.user_id is None
    assert booking.anonymised_at is not None


# Export


def test_export_holds_bookings_made_with_the_account(member, session):
    make_booking(session, user=member, access_needs="Step-free access, please.")

    data, _files = collect_personal_data(member)

    (record,) = data["session_bookings"]
    assert record["workshop"] == "Weekly peer support group"
    assert record["status"] == BookingStatus.CONFIRMED
    assert record["access_needs"] == "Step-free access, please."
    assert record["booked_with_account"] is True


def test_export_holds_bookings_made_without_an_account_from_the_confirmed_address(member, session):
    make_booking(session, first_name="Rob", email="Robin@Example.org", phone="+447700900123")

    data, _files = collect_personal_data(member)

    (record,) = data["session_bookings"]
    assert (record["first_name"], record["phone"]) == ("Rob", "+447700900123")
    assert record["booked_with_account"] is False


def test_export_leaves_out_bookings_from_an_address_the_account_has_not_confirmed(session):
    unconfirmed = UserFactory(email="robin@example.org", email_confirmed=False)
    make_booking(session, email="robin@example.org")

    data, _files = collect_personal_data(unconfirmed)

    assert data["session_bookings"] == []


def test_export_leaves_out_other_peoples_bookings(member, session):
    make_booking(session, email="someone-else@example.org")

    data, _files = collect_personal_data(member)

    assert data["session_bookings"] == []


def test_export_holds_attendance_of_past_sessions(member, workshop):
    make_booking(days_ago(workshop, 3), user=member, attended=True)

    data, _files = collect_personal_data(member)

    assert data["session_bookings"][0]["attended"] is True


def test_export_holds_roster_places(organisation, programme, session):
    facilitator = make_facilitator(organisation, programme)
    put_on_roster(session, facilitator, Role.LEAD)

    data, _files = collect_personal_data(facilitator)

    (record,) = data["session_roster"]
    assert (record["session_id"], record["role"]) == (session.pk, Role.LEAD)


# Erasure


def test_erasure_removes_every_personal_field_of_account_bookings(member, workshop):
    booking = make_booking(days_ago(workshop, 3), user=member, access_needs="Quiet room")

    erase_account(member)

    assert_anonymised(booking)


def test_erasure_removes_bookings_made_from_the_confirmed_address(member, workshop):
    booking = make_booking(days_ago(workshop, 3), email="robin@example.org", phone="+447700900123")

    erase_account(member)

    assert_anonymised(booking)


def test_erasure_keeps_status_and_attendance(member, workshop):
    booking = make_booking(days_ago(workshop, 3), user=member, attended=True)

    erase_account(member)

    booking.refresh_from_db()
    assert (booking.status, booking.attended) == (BookingStatus.CONFIRMED, True)


def test_erasure_cancels_a_future_place_and_it_goes_to_the_next_person(
    member, workshop, django_capture_on_commit_callbacks
):
    session = make_session(workshop, capacity=1)
    booking = make_booking(session, user=member)
    waiting = make_booking(session, email="next@example.org", status=BookingStatus.WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(member)

    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.CONFIRMED
    assert [message.to for message in mail.outbox] == [["next@example.org"]]


def test_erasure_leaves_other_peoples_bookings_alone(member, session):
    other = make_booking(session, email="someone-else@example.org")

    erase_account(member)

    other.refresh_from_db()
    assert other.email == "someone-else@example.org"


def test_erasure_leaves_bookings_from_an_address_the_account_never_confirmed_alone(session):
    unconfirmed = UserFactory(email="robin@example.org", email_confirmed=False)
    theirs = make_booking(session, email="robin@example.org")

    erase_account(unconfirmed)

    theirs.refresh_from_db()
    assert (theirs.email, theirs.status) == ("robin@example.org", BookingStatus.CONFIRMED)


def test_erasure_removes_future_roster_places_and_flags_the_session(
    organisation, programme, session
):
    facilitator = make_facilitator(organisation, programme)
    put_on_roster(session, facilitator, Role.LEAD)

    erase_account(facilitator)

    assert not RosterAssignment.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert session.roster_problem == "No lead facilitator."


def test_erasure_tells_staff_about_the_session_left_without_a_lead(
    organisation, programme, editor, session, django_capture_on_commit_callbacks
):
    facilitator = make_facilitator(organisation, programme)
    put_on_roster(session, facilitator, Role.LEAD)

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(facilitator)

    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_erasure_keeps_past_roster_places(organisation, programme, workshop):
    facilitator = make_facilitator(organisation, programme)
    past = days_ago(workshop, 3)
    put_on_roster(past, facilitator, Role.LEAD)

    erase_account(facilitator)

    assert RosterAssignment.objects.filter(session=past).exists()


def debrief_with_concern(organisation, workshop, lead, handler):
    past = days_ago(workshop, 2)
    debrief = Debrief.objects.create(
        session=past,
        filed_by=lead,
        attendance=6,
        how_it_went="mixed",
        notes="Ran long.",
        concern=True,
        fidelity=[{"check": "Group agreements read at the start", "done": True}],
    )
    debrief.signposting.set(organisation.signposting_categories.filter(name="Crisis line"))
    concern = SafeguardingConcern.objects.create(
        debrief=debrief,
        session=past,
        organisation=organisation,
        raised_by=lead,
        summary="Someone spoke of feeling unsafe at home.",
        handled_by=handler,
    )
    return debrief, concern


def test_export_holds_the_debriefs_filed_and_concerns_raised_or_handled(
    organisation, programme, workshop
):
    lead = make_facilitator(organisation, programme)
    handler = UserFactory()
    debrief_with_concern(organisation, workshop, lead, handler)

    data = collect_personal_data(lead)[0]
    [filed] = data["debriefs_filed"]
    assert filed["notes"] == "Ran long."
    assert filed["signposting"] == ["Crisis line"]
    assert filed["safeguarding_concern"] is True
    [raised] = data["safeguarding_concerns"]
    assert raised["raised_by_you"] and not raised["status_changed_by_you"]
    assert raised["summary"] == "Someone spoke of feeling unsafe at home."
    [handled] = collect_personal_data(handler)[0]["safeguarding_concerns"]
    assert handled["status_changed_by_you"] and not handled["raised_by_you"]


def test_erasure_unlinks_debriefs_and_concerns_and_keeps_the_records(
    organisation, programme, workshop
):
    lead = make_facilitator(organisation, programme)
    handler = UserFactory()
    debrief, concern = debrief_with_concern(organisation, workshop, lead, handler)

    erase_account(lead)
    erase_account(handler)

    debrief.refresh_from_db()
    concern.refresh_from_db()
    assert debrief.filed_by_id is None and debrief.attendance == 6
    assert concern.raised_by_id is None and concern.handled_by_id is None
    assert concern.summary and concern.status == "open"


def test_erasure_logs_no_personal_data(member, workshop, caplog):
    make_booking(days_ago(workshop, 3), user=member, first_name="Robin", phone="+447700900123")

    with caplog.at_level(logging.DEBUG):
        erase_account(member)

    assert f"user {member.pk}" in caplog.text
    for personal in ("Robin", "robin@example.org", "7700900123"):
        assert personal not in caplog.text


# Retention


def test_retention_anonymises_bookings_of_sessions_past_the_window(workshop):
    booking = make_booking(
        days_ago(workshop, 95), phone="+447700900123", access_needs="Hearing loop"
    )

    assert anonymise_past_bookings() == 1

    assert_anonymised(booking)


def test_retention_keeps_bookings_within_the_window(workshop):
    booking = make_booking(days_ago(workshop, 80))

    anonymise_past_bookings()

    booking.refresh_from_db()
    assert booking.anonymised_at is None
    assert booking.email


def test_retention_keeps_bookings_of_future_sessions(session):
    booking = make_booking(session)

    anonymise_past_bookings()

    booking.refresh_from_db()
    assert booking.anonymised_at is None


def test_retention_anonymises_cancelled_bookings_past_the_window(workshop):
    booking = make_booking(days_ago(workshop, 95), status=BookingStatus.CANCELLED)

    anonymise_past_bookings()

    assert_anonymised(booking)


def test_retention_keeps_counts(workshop):
    booking = make_booking(days_ago(workshop, 95), attended=True)

    anonymise_past_bookings()

    booking.refresh_from_db()
    assert (booking.status, booking.attended) == (BookingStatus.CONFIRMED, True)


def test_retention_window_follows_the_setting(workshop, settings):
    settings.PEERPATH_PARTICIPANT_RETENTION_DAYS = 30
    booking = make_booking(days_ago(workshop, 40))

    assert anonymise_past_bookings() == 1
    assert Booking.objects.get(pk=booking.pk).anonymised_at is not None


def test_retention_logs_only_the_count(workshop, caplog):
    make_booking(days_ago(workshop, 95), first_name="Robin", email="robin@example.org")

    with caplog.at_level(logging.DEBUG):
        anonymise_past_bookings()

    assert "1 past booking" in caplog.text
    assert "Robin" not in caplog.text
    assert "robin@example.org" not in caplog.text
