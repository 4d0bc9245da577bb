"""Bookings racing each other on a real PostgreSQL server: real threads, each with its own
connection and its own commits, released at the same moment (`tests.concurrency.run_together`).

Places are counted under the session's row lock (`booking.py`), so however the threads interleave,
nobody gets a place that is not there, nobody's request is lost, and `Session.places_taken` always
equals the number of confirmed bookings. On SQLite these are skipped: the test database lives in
memory, where threads cannot hold competing transactions (the embedded default serialises writers
with IMMEDIATE transactions instead).
"""

import pytest

from peerpath.meetings.booking import BookingRefused, book, cancel
from peerpath.meetings.choices import BookingStatus
from peerpath.meetings.models import Booking, Session
from tests.concurrency import run_together

from .factories import make_booking, make_session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def booker(session, email, name="Alex"):
    """A call that books `email` onto `session`, for a thread."""
    return lambda: book(session, first_name=name, email=email)


def canceller(booking):
    return lambda: cancel(booking)


def stored(session):
    """The session as the database now holds it, and its confirmed and waiting counts."""
    session = Session.objects.get(pk=session.pk)
    bookings = Booking.objects.filter(session=session)
    return session, bookings.confirmed().count(), bookings.waiting().count()


def failures(outcomes):
    return [outcome for outcome in outcomes if isinstance(outcome, Exception)]


@pytest.fixture
def nearly_full(workshop):
    """A ten-place session with seven places taken: three left."""
    session = make_session(workshop, capacity=10)
    for _ in range(7):
        make_booking(session)
    return session


def test_twenty_simultaneous_bookings_for_the_last_three_places_confirm_exactly_three(
    nearly_full,
):
    emails = [f"racer{n}@example.org" for n in range(20)]

    outcomes = run_together(*[booker(nearly_full, email) for email in emails])

    assert failures(outcomes) == []
    assert sorted(outcome.status for outcome in outcomes) == (
        [BookingStatus.CONFIRMED] * 3 + [BookingStatus.WAITING] * 17
    )
    session, confirmed, waiting = stored(nearly_full)
    assert (confirmed, waiting) == (10, 17)
    assert session.places_taken == confirmed == session.capacity


def test_every_simultaneous_booker_is_recorded_once_with_the_answer_they_were_given(
    nearly_full,
):
    emails = [f"racer{n}@example.org" for n in range(20)]

    outcomes = run_together(*[booker(nearly_full, email) for email in emails])

    told = {outcome.email: outcome.status for outcome in outcomes}
    recorded = dict(
        Booking.objects.filter(session=nearly_full, email__in=emails).values_list("email", "status")
    )
    assert recorded == told
    assert len(recorded) == 20


def test_simultaneous_cancellations_and_bookings_keep_places_taken_equal_to_confirmed_bookings(
    workshop,
):
    session = make_session(workshop, capacity=6)
    places = [make_booking(session) for _ in range(6)]
    waiting = [
        Booking.objects.create(
            session=session,
            first_name=f"Wait{n}",
            email=f"wait{n}@example.org",
            status=BookingStatus.WAITING,
        )
        for n in range(2)
    ]
    calls = [canceller(booking) for booking in places[:4]] + [canceller(waiting[1])]
    calls += [booker(session, f"newcomer{n}@example.org") for n in range(5)]

    outcomes = run_together(*calls)

    assert failures(outcomes) == []
    session, confirmed, still_waiting = stored(session)
    assert session.places_taken == confirmed
    assert confirmed <= session.capacity
    # Four places were freed and one waiting entry withdrawn; the other waiting person and five
    # newcomers competed for the four places, so the session is full again with two waiting.
    assert (confirmed, still_waiting) == (6, 2)


def test_a_cancelled_place_goes_to_the_person_already_waiting_even_while_others_book(workshop):
    session = make_session(workshop, capacity=2)
    first = make_booking(session)
    make_booking(session)
    waiting = Booking.objects.create(
        session=session, first_name="Kim", email="kim@example.org", status=BookingStatus.WAITING
    )

    run_together(canceller(first), *[booker(session, f"late{n}@example.org") for n in range(4)])

    waiting.refresh_from_db()
    # Whether the cancellation or the late bookers got the lock first, Kim was ahead of them.
    assert waiting.status == BookingStatus.CONFIRMED


def test_the_same_email_booking_twice_at_once_makes_one_booking(workshop):
    session = make_session(workshop, capacity=10)

    outcomes = run_together(
        booker(session, "sam@example.org", "Sam"),
        booker(session, "Sam@Example.org", "Sam"),
        booker(session, "sam@example.org", "Sam"),
    )

    assert Booking.objects.filter(session=session).count() == 1
    refusals = [o for o in outcomes if isinstance(o, BookingRefused)]
    assert len(refusals) == 2 and {r.code for r in refusals} == {"duplicate"}
    session, confirmed, _waiting = stored(session)
    assert session.places_taken == confirmed == 1
