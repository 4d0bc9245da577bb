"""Sessions, series, rosters and bookings for tests."""

import datetime
import itertools

from django.utils import timezone

from peerpath.meetings.choices import Mode, Role
from peerpath.meetings.models import Booking, RosterAssignment, Session, SessionSeries
from peerpath.organisations.models import OrganisationMembership
from tests.factories import UserFactory
from tests.workshops.factories import certificate

_numbers = itertools.count(1)


def make_session(workshop, *, starts_at=None, days_ahead=7, **fields):
    """A scheduled in-person session of `workshop`, `days_ahead` days from now unless given."""
    fields.setdefault("duration_minutes", 90)
    fields.setdefault("mode", Mode.IN_PERSON)
    if fields["mode"] == Mode.IN_PERSON:
        fields.setdefault("venue_name", "Riverside Community Centre")
        fields.setdefault("address", "12 Mill Lane, Riverside")
    else:
        fields.setdefault("joining_link", "https://meet.example/riverside-online")
    fields.setdefault("capacity", 10)
    if starts_at is None:
        starts_at = (timezone.now() + datetime.timedelta(days=days_ahead)).replace(
            minute=0, second=0, microsecond=0
        )
    session = Session(workshop=workshop, starts_at=starts_at, **fields)
    session.save()
    return session


def make_series(workshop, *, starts_on=None, start_time=datetime.time(19, 0), **fields):
    fields.setdefault("frequency", "weekly")
    fields.setdefault("duration_minutes", 90)
    fields.setdefault("venue_name", "Riverside Community Centre")
    fields.setdefault("address", "12 Mill Lane, Riverside")
    fields.setdefault("capacity", 10)
    series = SessionSeries(
        workshop=workshop,
        starts_on=starts_on or timezone.localdate() + datetime.timedelta(days=1),
        start_time=start_time,
        **fields,
    )
    series.save()
    return series


def make_facilitator(organisation, programme, *, status="valid", **user_fields):
    """A member of `organisation` holding a certificate for `programme` in `status`."""
    user = UserFactory(**user_fields)
    OrganisationMembership.objects.create(user=user, organisation=organisation)
    if status is not None:
        certificate(user, programme, status)
    return user


def put_on_roster(session, user, role=Role.LEAD):
    return RosterAssignment.objects.create(session=session, facilitator=user, role=role)


def make_booking(session, **fields):
    """A confirmed booking written straight to the database (keeps places_taken in step)."""
    number = next(_numbers)
    fields.setdefault("first_name", f"Sam{number}")
    if "user" not in fields:
        fields.setdefault("email", f"participant{number}@example.org")
    booking = Booking.objects.create(session=session, **fields)
    if booking.is_confirmed:
        session.places_taken += 1
        session.save(update_fields=["places_taken"])
    return booking
