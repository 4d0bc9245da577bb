"""Booking, cancelling and the waiting list (booking.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from peerpath.meetings.booking import BookingRefused, book, cancel
from peerpath.meetings.models import Booking, Session

from .factories import make_session

pytestmark = pytest.mark.django_db


def test_places_fill_then_people_wait_and_a_cancellation_promotes_the_first(workshop):
    session = make_session(workshop, capacity=2)
    first = book(session, first_name="Ana", email="ana@example.org")
    book(session, first_name="Ben", phone="+447700900001")
    waiting = book(session, first_name="Cy", email="cy@example.org")
    later = book(session, first_name="Di", email="di@example.org")
    assert [first.status, waiting.status, later.status] == ["confirmed", "waiting", "waiting"]
    cancel(first)
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.promoted_at is not None
    assert later.status == "waiting"
    assert Session.objects.get(pk=session.pk).places_taken == 2


@pytest.mark.parametrize(
    "change",
    [
        {"status": "cancelled", "cancellation_reason": "Facilitator unwell"},
        {"capacity": None},
        {"booking_opens_at": timezone.now() + datetime.timedelta(days=1)},
        {"booking_closes_at": timezone.now() - datetime.timedelta(hours=1)},
    ],
    ids=["cancelled", "drop-in", "not-open-yet", "closed"],
)
def test_a_session_that_cannot_be_booked_refuses_and_records_nothing(workshop, change):
    session = make_session(workshop, **change)
    with pytest.raises(BookingRefused):
        book(session, first_name="Ana", email="ana@example.org")
    assert not Booking.objects.exists()


def test_a_past_session_cannot_be_booked(workshop):
    session = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(hours=2))
    with pytest.raises(BookingRefused):
        book(session, first_name="Ana", email="ana@example.org")
    assert not Booking.objects.exists()


def test_the_same_person_cannot_book_twice(session):
    book(session, first_name="Ana", email="ana@example.org")
    with pytest.raises(BookingRefused) as refused:
        book(session, first_name="Ana", email="ANA@example.org")
    assert refused.value.code == "duplicate"
    assert Booking.objects.count() == 1
    assert Session.objects.get(pk=session.pk).places_taken == 1


def test_cancelling_twice_is_refused(session):
    booking = book(session, first_name="Ana", email="ana@example.org")
    cancel(booking)
    with pytest.raises(BookingRefused):
        cancel(booking)
    assert Session.objects.get(pk=session.pk).places_taken == 0


def test_someone_who_cancelled_may_book_again(session):
    cancel(book(session, first_name="Ana", email="ana@example.org"))
    again = book(session, first_name="Ana", email="ana@example.org")
    assert again.status == "confirmed"


def test_a_signed_in_person_cannot_book_again_what_they_booked_without_an_account(session, user):
    book(session, first_name="Ana", email=user.email.upper())
    with pytest.raises(BookingRefused) as refused:
        book(session, user=user)
    assert refused.value.code == "duplicate"
    assert Booking.objects.count() == 1


def test_an_online_session_cannot_be_a_drop_in(workshop):
    session = make_session(workshop, mode="online")
    session.capacity = None
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "capacity" in error.value.message_dict
