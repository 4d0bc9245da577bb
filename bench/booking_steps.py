"""The Django side of the booking load test, run in child processes of bench/load_bookings.py
against the database its environment names.

    python -m bench.booking_steps seed <sessions>
    python -m bench.booking_steps records

Each step prints one JSON line. The load generator never imports Django: every request it times is
served by a real gunicorn worker, as in production.
"""

import json
import sys

import django

django.setup()

from django.db.models import Count, Q  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.seeding_sessions import PREFIX, seed_sessions  # noqa: E402
from peerpath.meetings.choices import BookingStatus  # noqa: E402
from peerpath.meetings.models import Booking, Session  # noqa: E402

#: Participants of the load test book with addresses at this domain.
DOMAIN = "@load.example"


def seed(count):
    """`count` upcoming sessions of two organisations, every place free."""
    seed_sessions(int(count), organisations=2, taken=False)
    sessions = Session.objects.filter(organisation__slug__startswith=PREFIX).order_by("pk")
    return {
        "sessions": [
            {
                "id": session.pk,
                "url": reverse("meetings:session", args=[session.pk]),
                "book_url": reverse("meetings:book", args=[session.pk]),
                "capacity": session.capacity,
            }
            for session in sessions
        ]
    }


def records():
    """What the database holds: each session's places and bookings, and each participant's
    booking (status, and whether it was promoted from the waiting list), by e-mail address."""
    sessions = Session.objects.filter(organisation__slug__startswith=PREFIX).annotate(
        confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        cancelled=Count("bookings", filter=Q(bookings__status=BookingStatus.CANCELLED)),
    )
    bookings = Booking.objects.filter(email__endswith=DOMAIN)
    return {
        "sessions": [
            {
                "id": session.pk,
                "capacity": session.capacity,
                "places_taken": session.places_taken,
                "confirmed": session.confirmed,
                "waiting": session.waiting,
                "cancelled": session.cancelled,
            }
            for session in sessions
        ],
        "bookings": {
            email: [status, promoted is not None]
            for email, status, promoted in bookings.values_list("email", "status", "promoted_at")
        },
        "duplicates": bookings.values("email").annotate(n=Count("pk")).filter(n__gt=1).count(),
    }


STEPS = {"seed": seed, "records": records}

if __name__ == "__main__":
    name, *args = sys.argv[1:]
    print(json.dumps(STEPS[name](*args)))
