"""Staff create, edit, move and cancel their organisation's sessions through the Wagtail admin;
the roster rule is checked on whatever id is posted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings import roster
from peerpath.meetings.choices import BookingStatus, Role, SessionStatus
from peerpath.meetings.models import Booking, RosterAssignment, Session

from .factories import make_booking, make_facilitator, make_session, put_on_roster

pytestmark = pytest.mark.django_db

ADD_URL = reverse("meetings_sessions:add")


def edit_url(session):
    return reverse("meetings_sessions:edit", args=[session.pk])


def cancel_url(session):
    return reverse("meetings_sessions:cancel", args=[session.pk])


def session_data(workshop, lead, *, date=None, start="19:00", co=(), **overrides):
    date = date or timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "workshop": workshop.pk,
        "date": date.isoformat(),
        "start_time": start,
        "duration_minutes": 90,
        "mode": "in_person",
        "venue_name": "Riverside Community Centre",
        "address": "12 Mill Lane, Riverside",
        "accessibility_notes": "",
        "joining_link": "",
        "capacity": 10,
        "booking_opens_at": "",
        "booking_closes_at": "",
        "lead": lead.pk if lead else "",
        "co_facilitators": [person.pk for person in co],
    }
    data.update(overrides)
    return data


def edit_data(session, lead, **overrides):
    local = session.local_start
    overrides.setdefault("date", local.date())
    overrides.setdefault("start", local.strftime("%H:%M"))
    overrides.setdefault("capacity", session.capacity)
    return session_data(session.workshop, lead, **overrides)


def test_a_valid_session_is_created_with_its_roster(client, editor, workshop, facilitator):
    client.force_login(editor)
    response = client.post(ADD_URL, session_data(workshop, facilitator))
    assert response.status_code == 302
    session = Session.objects.get(workshop=workshop)
    assert session.local_start.strftime("%H:%M") == "19:00"
    assert session.roster.get().facilitator == facilitator
    assert session.roster.get().role == Role.LEAD


def test_the_start_time_is_read_in_the_organisations_time_zone(
    client, editor, workshop, facilitator, organisation
):
    organisation.time_zone = "America/New_York"
    organisation.save()
    client.force_login(editor)
    client.post(ADD_URL, session_data(workshop, facilitator, start="18:30"))
    session = Session.objects.get(workshop=workshop)
    assert session.time_zone == "America/New_York"
    assert session.local_start.strftime("%H:%M") == "18:30"


@pytest.mark.parametrize("status", [None, "expired", "revoked"])
def test_a_facilitator_without_a_practising_certificate_cannot_be_made_lead(
    client, editor, workshop, organisation, programme, status
):
    person = make_facilitator(organisation, programme, status=status, first_name="Uma")
    client.force_login(editor)
    response = client.post(ADD_URL, session_data(workshop, person))
    assert response.status_code == 200
    assert "does not hold a practising certificate" in response.content.decode()
    assert not Session.objects.exists()
    assert not RosterAssignment.objects.exists()


def test_an_uncertified_co_facilitator_posted_by_hand_is_refused(
    client, editor, workshop, organisation, programme, facilitator
):
    person = make_facilitator(organisation, programme, status=None)
    client.force_login(editor)
    response = client.post(ADD_URL, session_data(workshop, facilitator, co=[person]))
    assert response.status_code == 200
    assert "does not hold a practising certificate" in response.content.decode()
    assert not Session.objects.exists()


def test_another_organisations_certified_facilitator_cannot_be_assigned(
    client, editor, workshop, other_organisation, programme
):
    northside = make_facilitator(other_organisation, programme)
    client.force_login(editor)
    response = client.post(ADD_URL, session_data(workshop, northside))
    assert response.status_code == 200
    assert "only certified members of the workshop" in response.content.decode()
    assert not Session.objects.exists()
    assert not RosterAssignment.objects.exists()


def test_the_roster_lists_only_eligible_facilitators(
    client, editor, workshop, organisation, programme, facilitator
):
    uncertified = make_facilitator(organisation, programme, status=None, email="un@example.org")
    client.force_login(editor)
    page = client.get(edit_url(make_session(workshop))).content.decode()
    assert facilitator.email in page
    assert uncertified.email not in page


def test_a_session_cannot_be_created_in_the_past(client, editor, workshop, facilitator):
    client.force_login(editor)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(ADD_URL, session_data(workshop, facilitator, date=yesterday))
    assert response.status_code == 200
    assert "have not passed yet" in response.content.decode()
    assert not Session.objects.exists()


def test_changing_the_date_moves_the_session_and_keeps_where_it_was(
    client, editor, session, facilitator
):
    put_on_roster(session, facilitator)
    old_start = session.starts_at
    new_date = session.local_start.date() + datetime.timedelta(days=2)
    client.force_login(editor)
    response = client.post(edit_url(session), edit_data(session, facilitator, date=new_date))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.moved_from == old_start
    assert session.starts_at == old_start + datetime.timedelta(days=2)


def test_saving_without_changing_the_time_does_not_move_the_session(
    client, editor, session, facilitator
):
    put_on_roster(session, facilitator)
    client.force_login(editor)
    client.post(edit_url(session), edit_data(session, facilitator, venue_name="The Library"))
    session.refresh_from_db()
    assert session.venue_name == "The Library"
    assert session.moved_from is None


def test_raising_capacity_gives_places_to_the_waiting_list(client, editor, workshop, facilitator):
    session = make_session(workshop, capacity=1)
    put_on_roster(session, facilitator)
    make_booking(session)
    waiting = make_booking(session, status=BookingStatus.WAITING)
    client.force_login(editor)
    client.post(edit_url(session), edit_data(session, facilitator, capacity=2))
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    session.refresh_from_db()
    assert session.places_taken == 2


def test_capacity_cannot_go_below_the_places_taken(client, editor, workshop, facilitator):
    session = make_session(workshop, capacity=3)
    put_on_roster(session, facilitator)
    make_booking(session)
    make_booking(session)
    client.force_login(editor)
    response = client.post(edit_url(session), edit_data(session, facilitator, capacity=1))
    assert response.status_code == 200
    assert "More people than that already have a place" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 3


def test_a_dropped_co_facilitator_leaves_the_roster(
    client, editor, session, facilitator, organisation, programme
):
    co = make_facilitator(organisation, programme)
    put_on_roster(session, facilitator)
    put_on_roster(session, co, Role.CO)
    client.force_login(editor)
    client.post(edit_url(session), edit_data(session, facilitator))
    assert list(session.roster.values_list("facilitator", flat=True)) == [facilitator.pk]


def test_cancelling_requires_a_reason(client, editor, session):
    client.force_login(editor)
    response = client.post(cancel_url(session), {"reason": "   "})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_cancelling_with_a_reason_cancels_the_session(client, editor, session):
    client.force_login(editor)
    response = client.post(cancel_url(session), {"reason": "The venue is flooded."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.cancellation_reason == "The venue is flooded."


def test_a_cancelled_session_cannot_be_edited_back_into_scheduled(
    client, editor, session, facilitator
):
    client.force_login(editor)
    client.post(cancel_url(session), {"reason": "The venue is flooded."})
    response = client.post(
        edit_url(session), edit_data(session, facilitator, status=SessionStatus.SCHEDULED)
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings_sessions:inspect", args=[session.pk])
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED


def test_a_booked_session_cannot_be_deleted(client, editor, session):
    make_booking(session)
    client.force_login(editor)
    client.post(reverse("meetings_sessions:delete", args=[session.pk]))
    assert Session.objects.filter(pk=session.pk).exists()


def test_a_session_nobody_booked_can_be_deleted(client, editor, session):
    client.force_login(editor)
    client.post(reverse("meetings_sessions:delete", args=[session.pk]))
    assert not Session.objects.filter(pk=session.pk).exists()


def test_the_inspect_page_shows_bookings_with_their_contact_details(client, editor, session):
    booking = make_booking(session, first_name="Robin")
    client.force_login(editor)
    page = client.get(reverse("meetings_sessions:inspect", args=[session.pk])).content.decode()
    assert "Robin" in page
    assert booking.email in page


def test_the_listing_shows_no_contact_details(client, editor, session):
    booking = make_booking(session, first_name="Robin")
    client.force_login(editor)
    page = client.get(reverse("meetings_sessions:index")).content.decode()
    assert session.workshop.title in page
    assert booking.email not in page
    assert Booking.objects.count() == 1


def test_the_cancel_page_asks_for_a_reason(client, editor, session):
    client.force_login(editor)
    response = client.get(cancel_url(session))
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


def test_the_listing_offers_cancelling_a_scheduled_session(client, editor, session):
    client.force_login(editor)
    page = client.get(reverse("meetings_sessions:index")).content.decode()
    assert cancel_url(session) in page


def test_a_listing_of_many_sessions_takes_no_more_queries_than_one(
    client, editor, workshop, django_assert_max_num_queries
):
    client.force_login(editor)
    make_session(workshop)
    client.get(reverse("meetings_sessions:index"))
    with django_assert_max_num_queries(40) as captured:
        client.get(reverse("meetings_sessions:index"))
    one = len(captured)
    for days in range(10, 20):
        make_session(workshop, days_ahead=days)
    with django_assert_max_num_queries(one):
        client.get(reverse("meetings_sessions:index"))


def test_a_roster_refused_while_saving_changes_nothing(
    client, editor, workshop, facilitator, monkeypatch
):
    def refuse(*args, **kwargs):
        raise roster.RosterRefused("Someone else changed this roster at the same time; try again.")

    monkeypatch.setattr(roster, "assign", refuse)
    client.force_login(editor)
    response = client.post(ADD_URL, session_data(workshop, facilitator))
    assert response.status_code == 200
    assert "Someone else changed this roster" in response.content.decode()
    assert not Session.objects.exists()


def test_the_new_session_form_names_the_time_zone(client, editor, workshop):
    client.force_login(editor)
    assert "Local time in Europe/London" in client.get(ADD_URL).content.decode()


def test_booking_times_are_read_in_the_sessions_time_zone(
    client, editor, workshop, facilitator, organisation
):
    organisation.time_zone = "America/New_York"
    organisation.save()
    date = timezone.localdate() + datetime.timedelta(days=10)
    client.force_login(editor)
    client.post(
        ADD_URL,
        session_data(workshop, facilitator, date=date, booking_closes_at=f"{date} 12:00"),
    )
    session = Session.objects.get(workshop=workshop)
    closes = timezone.localtime(session.booking_closes_at, session.zone)
    assert closes.strftime("%H:%M") == "12:00"
