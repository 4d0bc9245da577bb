"""A session's public page, booking without an account, the booking's own page, calendar files."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from peerpath.meetings.calendar import session_uid
from peerpath.meetings.choices import Mode
from peerpath.meetings.links import booking_token, manage_path
from peerpath.meetings.models import Booking, Session
from peerpath.meetings.wagtail_panels import SHOWN  # registers its hook, as ready() does
from tests.workshops.factories import make_workshop

from .factories import make_booking, make_session, put_on_roster

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

JOINING_LINK = "https://meet.example/secret-room-42"
ANA = {"first_name": "Ana", "email": "ana@example.org", "phone": "", "access_needs": ""}


@pytest.fixture
def online(workshop):
    return make_session(workshop, mode=Mode.ONLINE, joining_link=JOINING_LINK)


def page(session):
    return reverse("meetings:session", args=[session.pk])


def book_url(session):
    return reverse("meetings:book", args=[session.pk])


def html(response):
    return response.content.decode()


def calendar_of(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


# -- The session page ---------------------------------------------------------------------------


def test_the_session_page_shows_when_where_who_runs_it_and_places_left(client, session):
    response = client.get(page(session))
    assert response.status_code == 200
    content = html(response)
    assert "Weekly peer support group" in content
    assert session.local_start.strftime("%H:%M") in content
    assert "Riverside Community Centre" in content
    assert "12 Mill Lane, Riverside" in content
    assert "Riverside Peer Support" in content
    assert "10 places left" in content


def test_a_bookable_session_offers_book_a_place(client, session):
    content = html(client.get(page(session)))
    assert '<button type="submit">Book a place</button>' in content
    assert "Join the waiting list</button>" not in content


def test_a_full_session_offers_the_waiting_list(client, workshop):
    session = make_session(workshop, capacity=1)
    make_booking(session)
    content = html(client.get(page(session)))
    assert '<button type="submit">Join the waiting list</button>' in content
    assert "Book a place</button>" not in content


def test_the_page_says_how_long_contact_details_are_kept(client, session, settings):
    settings.PEERPATH_PARTICIPANT_RETENTION_DAYS = 45
    assert "deleted 45 days after the session" in html(client.get(page(session)))


def test_a_cancelled_session_shows_the_reason_and_no_form(client, workshop):
    session = make_session(workshop, status="cancelled", cancellation_reason="Room flooded")
    content = html(client.get(page(session)))
    assert "Room flooded" in content
    assert '<form method="post"' not in content


def test_a_past_session_has_no_form(client, workshop):
    session = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(days=1))
    content = html(client.get(page(session)))
    assert "This session has taken place" in content
    assert "Book a place</button>" not in content


def test_a_drop_in_session_says_just_come_along(client, workshop):
    session = make_session(workshop, capacity=None)
    content = html(client.get(page(session)))
    assert "drop-in session" in content
    assert "Book a place</button>" not in content


def test_a_session_not_yet_open_for_booking_says_when_it_opens(client, workshop):
    opens = timezone.now() + datetime.timedelta(days=2)
    session = make_session(workshop, booking_opens_at=opens)
    content = html(client.get(page(session)))
    assert "Booking opens on" in content
    assert "Book a place</button>" not in content


def test_a_session_of_an_unpublished_workshop_is_not_found(client, workshop):
    session = make_session(workshop)
    workshop.unpublish()
    assert client.get(page(session)).status_code == 404


def test_a_session_of_a_private_workshop_is_not_found(client, workshop):
    session = make_session(workshop)
    PageViewRestriction.objects.create(page=workshop, restriction_type="login")
    assert client.get(page(session)).status_code == 404


@pytest.mark.parametrize("pk", [999999, 2**70])
def test_an_unknown_session_is_not_found(client, organisation, pk):
    assert client.get(f"/groups/{pk}/").status_code == 404


def test_no_participant_data_on_the_public_page(client, session):
    make_booking(session, first_name="Zebedee", email="zebedee@example.org", access_needs="Ramp")
    content = html(client.get(page(session)))
    assert "Zebedee" not in content
    assert "zebedee@example.org" not in content
    assert "Ramp" not in content


# -- The joining link ---------------------------------------------------------------------------


def test_the_joining_link_is_not_on_the_public_page(client, online):
    content = html(client.get(page(online)))
    assert JOINING_LINK not in content
    assert "the joining link is sent when you book" in content


def test_a_signed_in_visitor_without_a_place_does_not_see_the_joining_link(client, user, online):
    client.force_login(user)
    assert JOINING_LINK not in html(client.get(page(online)))


def test_a_signed_in_participant_with_a_place_sees_the_joining_link(client, user, online):
    make_booking(online, user=user, first_name="")
    client.force_login(user)
    assert JOINING_LINK in html(client.get(page(online)))


def test_a_signed_in_participant_on_the_waiting_list_does_not_see_it(client, user, workshop):
    session = make_session(workshop, mode=Mode.ONLINE, joining_link=JOINING_LINK, capacity=1)
    make_booking(session)
    make_booking(session, user=user, first_name="", status="waiting")
    client.force_login(user)
    assert JOINING_LINK not in html(client.get(page(session)))


def test_a_facilitator_on_the_roster_sees_the_joining_link(client, online, facilitator):
    put_on_roster(online, facilitator)
    client.force_login(facilitator)
    assert JOINING_LINK in html(client.get(page(online)))


def test_the_public_calendar_file_has_no_joining_link(client, online):
    response = client.get(reverse("meetings:session_calendar", args=[online.pk]))
    assert response.status_code == 200
    assert len(calendar_of(response).walk("VEVENT")) == 1
    assert JOINING_LINK.encode() not in response.content


def test_the_manage_page_of_a_confirmed_online_booking_shows_the_joining_link(client, online):
    booking = make_booking(online)
    assert JOINING_LINK in html(client.get(manage_path(booking)))


def test_the_manage_page_of_a_waiting_online_booking_does_not(client, workshop):
    session = make_session(workshop, mode=Mode.ONLINE, joining_link=JOINING_LINK, capacity=1)
    make_booking(session)
    waiting = make_booking(session, status="waiting")
    assert JOINING_LINK not in html(client.get(manage_path(waiting)))


def test_the_calendar_file_of_a_confirmed_online_booking_has_the_joining_link(client, online):
    booking = make_booking(online)
    response = client.get(reverse("meetings:booking_calendar", args=[booking_token(booking)]))
    assert response.status_code == 200
    assert JOINING_LINK in str(calendar_of(response).walk("VEVENT")[0]["DESCRIPTION"])


def test_the_calendar_file_of_a_waiting_booking_has_no_joining_link(client, workshop):
    session = make_session(workshop, mode=Mode.ONLINE, joining_link=JOINING_LINK, capacity=1)
    make_booking(session)
    waiting = make_booking(session, status="waiting")
    response = client.get(reverse("meetings:booking_calendar", args=[booking_token(waiting)]))
    assert JOINING_LINK.encode() not in response.content


# -- Booking ------------------------------------------------------------------------------------


def test_booking_gives_a_place_and_sends_the_visitor_to_their_booking_page(client, session):
    response = client.post(book_url(session), ANA)
    booking = Booking.objects.get()
    assert response.status_code == 303
    assert response["Location"] == manage_path(booking)
    assert booking.is_confirmed and booking.first_name == "Ana"
    assert Session.objects.get(pk=session.pk).places_taken == 1


def test_the_confirmation_page_says_booked_and_offers_calendar_and_cancel(client, session):
    response = client.post(book_url(session), ANA, follow=True)
    content = html(response)
    assert "Your place is booked." in content
    assert "You have a place." in content
    assert ">Add to calendar</a>" in content
    assert ">Cancel my booking</button>" in content


def test_a_mobile_number_is_stored_in_e164(client, session):
    client.post(book_url(session), {**ANA, "email": "", "phone": "07400 123456"})
    assert Booking.objects.get().phone == "+447400123456"


def test_booking_a_full_session_joins_the_waiting_list_and_says_the_place(client, workshop):
    session = make_session(workshop, capacity=1)
    make_booking(session)
    make_booking(session, status="waiting")
    response = client.post(book_url(session), ANA, follow=True)
    assert Booking.objects.get(email="ana@example.org").is_waiting
    assert "You are number 2 on the waiting list." in html(response)


def test_booking_twice_is_refused_with_a_message_and_no_new_row(client, session):
    client.post(book_url(session), ANA)
    response = client.post(book_url(session), {**ANA, "email": "ANA@example.org"})
    assert response.status_code == 409
    assert "You already have a place" in html(response)
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "change", [{"email": "ana@"}, {"email": "", "phone": "12345"}, {"email": ""}]
)
def test_bad_contact_details_are_form_errors_and_nothing_is_booked(client, session, change):
    response = client.post(book_url(session), {**ANA, **change})
    assert response.status_code == 400
    assert "There is a problem" in html(response)
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "cancelled", "cancellation_reason": "Facilitator unwell"},
        {"capacity": None},
        {"booking_opens_at": timezone.now() + datetime.timedelta(days=1)},
        {"booking_closes_at": timezone.now() - datetime.timedelta(hours=1)},
        {"starts_at": timezone.now() - datetime.timedelta(minutes=30)},
    ],
    ids=["cancelled", "drop-in", "not-open-yet", "closed", "started"],
)
def test_a_session_that_cannot_be_booked_refuses_and_records_nothing(client, workshop, fields):
    session = make_session(workshop, **fields)
    response = client.post(book_url(session), ANA)
    assert response.status_code == 409
    assert not Booking.objects.exists()


def test_a_signed_in_participant_books_in_one_click(client, user, session):
    client.force_login(user)
    assert "First name or nickname" not in html(client.get(page(session)))
    response = client.post(book_url(session), {})
    booking = Booking.objects.get()
    assert response.status_code == 303
    assert booking.user == user and booking.email == "" and booking.is_confirmed


def test_a_signed_in_participant_with_a_place_sees_it_instead_of_the_form(client, user, session):
    booking = make_booking(session, user=user, first_name="")
    client.force_login(user)
    content = html(client.get(page(session)))
    assert manage_path(booking) in content
    assert "Book a place</button>" not in content


def test_booking_a_session_of_an_unpublished_workshop_is_not_found(client, workshop):
    session = make_session(workshop)
    workshop.unpublish()
    assert client.post(book_url(session), ANA).status_code == 404
    assert not Booking.objects.exists()


def test_booking_is_rate_limited_per_client(client, session, settings):
    settings.PEERPATH_BOOKING_RATE_LIMIT = (2, 60)
    for number in range(2):
        client.post(book_url(session), {**ANA, "email": f"person{number}@example.org"})
    response = client.post(book_url(session), {**ANA, "email": "third@example.org"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert Booking.objects.count() == 2


def test_get_on_the_booking_endpoint_is_not_allowed(client, session):
    assert client.get(book_url(session)).status_code == 405


# -- The booking's own page and cancelling ------------------------------------------------------


def test_a_tampered_booking_link_is_not_found(client, session):
    token = booking_token(make_booking(session))
    for bad in (token[:-2] + "xx", "not-a-token", token + "0"):
        response = client.get(reverse("meetings:booking", args=[bad]))
        assert response.status_code == 404
        assert "Booking not found" in html(response)


def test_the_booking_page_is_never_cached_or_indexed(client, session):
    response = client.get(manage_path(make_booking(session)))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"


def test_cancelling_promotes_the_first_person_waiting(client, workshop):
    session = make_session(workshop, capacity=1)
    booked = make_booking(session)
    first = make_booking(session, status="waiting")
    second = make_booking(session, status="waiting")
    token = booking_token(booked)
    response = client.post(reverse("meetings:cancel", args=[token]))
    assert response.status_code == 303
    first.refresh_from_db()
    second.refresh_from_db()
    booked.refresh_from_db()
    assert booked.status == "cancelled"
    assert first.is_confirmed and second.is_waiting


def test_after_cancelling_the_page_shows_the_cancelled_booking_and_a_way_back(client, session):
    token = booking_token(make_booking(session))
    content = html(client.post(reverse("meetings:cancel", args=[token]), follow=True))
    assert "Your booking is cancelled." in content
    assert "This booking is cancelled." in content
    assert page(session) in content
    assert "Cancel my booking</button>" not in content


def test_cancelling_twice_says_so_and_changes_nothing(client, session):
    booking = make_booking(session)
    url = reverse("meetings:cancel", args=[booking_token(booking)])
    client.post(url)
    cancelled_at = Booking.objects.get().cancelled_at
    response = client.post(url, follow=True)
    assert "This booking was already cancelled." in html(response)
    assert Booking.objects.get().cancelled_at == cancelled_at
    assert Session.objects.get(pk=session.pk).places_taken == 0


def test_cancelling_with_a_tampered_link_is_not_found(client, session):
    booking = make_booking(session)
    response = client.post(reverse("meetings:cancel", args=[booking_token(booking) + "x"]))
    assert response.status_code == 404
    assert Booking.objects.get().is_confirmed


def test_get_on_cancel_is_not_allowed_and_cancels_nothing(client, session):
    booking = make_booking(session)
    response = client.get(reverse("meetings:cancel", args=[booking_token(booking)]))
    assert response.status_code == 405
    assert Booking.objects.get().is_confirmed


def test_the_calendar_file_of_a_tampered_link_is_not_found(client, session):
    token = booking_token(make_booking(session))
    response = client.get(reverse("meetings:booking_calendar", args=[token + "x"]))
    assert response.status_code == 404


# -- Calendar feeds -----------------------------------------------------------------------------


def test_the_workshop_feed_lists_its_upcoming_sessions(client, workshop):
    make_session(workshop, days_ahead=3)
    make_session(workshop, days_ahead=10)
    make_session(workshop, days_ahead=17, status="cancelled", cancellation_reason="Holiday")
    response = client.get(reverse("meetings:workshop_feed", args=[workshop.pk]))
    assert response.status_code == 200
    assert "weekly-peer-support-group.ics" in response["Content-Disposition"]
    assert len(calendar_of(response).walk("VEVENT")) == 2


def test_the_organisation_feed_lists_its_upcoming_sessions_without_joining_links(
    client, organisation, workshop, online
):
    make_session(workshop)
    response = client.get(reverse("meetings:organisation_feed", args=[organisation.slug]))
    assert len(calendar_of(response).walk("VEVENT")) == 2
    assert JOINING_LINK.encode() not in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/groups/workshop/999999/calendar.ics",
        f"/groups/workshop/{2**70}/calendar.ics",
        "/groups/organisation/nowhere/calendar.ics",
        "/groups/999999/calendar.ics",
    ],
)
def test_feeds_of_unknown_things_are_not_found(client, organisation, url):
    assert client.get(url).status_code == 404


def test_the_feed_of_an_unpublished_workshop_is_not_found(client, workshop):
    make_session(workshop)
    workshop.unpublish()
    assert client.get(reverse("meetings:workshop_feed", args=[workshop.pk])).status_code == 404


# -- The workshop's page ------------------------------------------------------------------------


def test_the_workshop_page_lists_its_next_sessions_with_places_left(client, workshop):
    session = make_session(workshop, capacity=8)
    content = html(client.get(workshop.url))
    assert "Upcoming sessions" in content
    assert page(session) in content
    assert "8 places left" in content
    assert f"{reverse('meetings:finder')}?workshop={workshop.pk}" in content
    assert f"{reverse('meetings:finder')}?organisation=riverside" in content


def test_the_workshop_page_lists_only_the_next_few_sessions(client, workshop):
    sessions = [make_session(workshop, days_ahead=day) for day in range(1, 8)]
    content = html(client.get(workshop.url))
    assert page(sessions[SHOWN - 1]) in content
    assert page(sessions[SHOWN]) not in content
    assert "All dates of this group" in content


def test_the_workshop_page_says_when_no_dates_are_listed(client, workshop):
    make_session(workshop, status="cancelled", cancellation_reason="Holiday")
    assert "No dates are listed at the moment." in html(client.get(workshop.url))


def test_the_workshop_page_never_shows_a_joining_link(client, workshop, online):
    assert JOINING_LINK not in html(client.get(workshop.url))


# -- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("bookings", [1, 12])
def test_the_session_page_runs_a_fixed_number_of_queries(
    client, workshop, bookings, django_assert_num_queries
):
    session = make_session(workshop, capacity=5)
    for number in range(bookings):
        make_booking(session, status="confirmed" if number < 5 else "waiting")
    client.get(page(session))  # warm the layout caches, as any earlier visitor would have
    # The view restrictions, the session with its workshop and organisation, and the site (for
    # the link to the workshop's page).
    with django_assert_num_queries(3):
        client.get(page(session))


@pytest.mark.parametrize("waiting", [1, 12])
def test_the_booking_page_runs_a_fixed_number_of_queries(
    client, workshop, waiting, django_assert_num_queries
):
    session = make_session(workshop, capacity=1)
    make_booking(session)
    last = [make_booking(session, status="waiting") for _ in range(waiting)][-1]
    client.get(manage_path(last))
    with django_assert_num_queries(2):  # the booking with its session, its waiting-list place
        client.get(manage_path(last))


def test_the_organisation_feed_leaves_out_other_organisations_and_unpublished_workshops(
    client, organisation, other_organisation, programme, workshop
):
    mine = make_session(workshop)
    draft = make_workshop(organisation.index_page, programme=programme, live=False)
    make_session(draft)
    theirs = make_workshop(other_organisation.index_page, programme=programme)
    make_session(theirs)
    response = client.get(reverse("meetings:organisation_feed", args=[organisation.slug]))
    events = calendar_of(response).walk("VEVENT")
    assert [str(event["UID"]) for event in events] == [session_uid(mine)]
    assert response["Content-Disposition"] == 'attachment; filename="riverside-sessions.ics"'
