"""The demo's sessions: real schedules from the day load_demo runs, led by the demo facilitator."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from home.demo_certificates import FACILITATOR
from home.demo_coordination import MONTHLY
from peerpath.conf import setting
from peerpath.meetings.choices import (
    BookingStatus,
    ConcernStatus,
    Frequency,
    Mode,
    Role,
    SessionStatus,
)
from peerpath.meetings.models import (
    Booking,
    Debrief,
    FeedbackResponse,
    LocalService,
    RosterAssignment,
    SafeguardingConcern,
    Session,
    SessionSeries,
)
from peerpath.meetings.quality import MIN_RESPONSES
from peerpath.meetings.roster import facilitator_problem
from peerpath.workshops.choices import Confirmation
from peerpath.workshops.models import FacilitationLogEntry

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", stdout=io.StringIO())


def counts():
    return {
        "series": SessionSeries.objects.count(),
        "sessions": Session.objects.count(),
        "cancelled": Session.objects.filter(status=SessionStatus.CANCELLED).count(),
        "bookings": Booking.objects.count(),
        "confirmed": Booking.objects.confirmed().count(),
        "roster": RosterAssignment.objects.count(),
    }


@pytest.fixture
def demo():
    load()


def meetings_demo():
    """The sessions of the meetings demo: everything but the past year of monthly sessions the
    organisations' demo adds for the impact report (`home.demo_coordination`)."""
    return Session.objects.exclude(
        workshop__slug__in=MONTHLY, series=None, starts_at__lte=timezone.now()
    )


def test_loading_the_demo_twice_changes_no_session_booking_or_roster(demo):
    first = counts()
    load()
    assert counts() == first
    assert first["sessions"] > 0 and first["bookings"] > 0


def test_the_tuesday_group_meets_weekly_on_tuesday_evenings_in_person(demo):
    series = SessionSeries.objects.get(workshop__slug="tuesday-evening-group")
    sessions = Session.objects.filter(series=series)
    assert series.frequency == Frequency.WEEKLY and series.mode == Mode.IN_PERSON
    assert "hearing loop" in series.accessibility_notes
    assert {(s.local_weekday, s.local_start_minutes) for s in sessions} == {(1, 19 * 60)}


def test_the_online_group_meets_fortnightly_with_a_joining_link(demo):
    series = SessionSeries.objects.get(workshop__slug="thursday-online-group")
    assert series.frequency == Frequency.FORTNIGHTLY and series.mode == Mode.ONLINE
    assert Session.objects.filter(series=series).exclude(joining_link="").exists()


def test_every_scheduled_demo_session_is_in_the_future_and_every_past_one_completed(demo):
    assert not Session.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__lte=timezone.now()
    ).exists()
    past = meetings_demo().filter(starts_at__lte=timezone.now())
    assert past.count() == 6
    assert set(past.values_list("status", flat=True)) == {SessionStatus.COMPLETED}


def test_the_demo_facilitator_leads_every_session_and_qualifies(demo):
    scheduled = Session.objects.filter(status=SessionStatus.SCHEDULED).select_related("workshop")
    leads = RosterAssignment.objects.filter(session__in=scheduled, role=Role.LEAD)
    assert leads.count() == scheduled.count() > 0
    assert set(leads.values_list("facilitator__username", flat=True)) == {FACILITATOR["email"]}
    facilitator = leads.first().facilitator
    assert not any(facilitator_problem(facilitator, s.workshop) for s in scheduled)
    assert not scheduled.exclude(roster_problem="").exists()


def test_one_session_is_full_with_people_on_its_waiting_list(demo):
    full = [s for s in Session.objects.exclude(capacity=None) if s.is_full and s.capacity > 1]
    assert len(full) == 1
    session = full[0]
    assert session.workshop.slug == "boundaries-and-self-care"
    assert session.places_taken == session.bookings.confirmed().count() == session.capacity
    assert session.bookings.filter(status=BookingStatus.WAITING).count() == 2


def test_the_tuesday_groups_last_six_weeks_have_debriefs_feedback_and_a_closed_concern(demo):
    past = meetings_demo().filter(status=SessionStatus.COMPLETED).order_by("starts_at")
    assert {s.workshop.slug for s in past} == {"tuesday-evening-group"}
    assert {(s.local_weekday, s.local_start_minutes) for s in past} == {(1, 19 * 60)}
    assert Debrief.objects.filter(session__in=past).count() == 6
    assert all(s.attendance_count == s.debrief.attendance > 0 for s in past)
    [concern] = SafeguardingConcern.objects.filter(debrief__session__in=past)
    assert concern.status == ConcernStatus.CLOSED and concern.outcome
    # Enough answers over the six weeks for averages; the last session alone has too few.
    assert FeedbackResponse.objects.filter(session__in=past).count() >= MIN_RESPONSES
    assert FeedbackResponse.objects.filter(session=past.last()).count() < MIN_RESPONSES
    assert Booking.objects.filter(session__in=past, returning=True).exists()


def test_the_older_demo_sessions_are_confirmed_and_the_recent_ones_await_it(demo):
    entries = FacilitationLogEntry.objects.filter(
        session_record__session__in=meetings_demo()
    ).order_by("date")
    assert [e.confirmation for e in entries] == [Confirmation.CONFIRMED] * 4 + [
        Confirmation.AWAITING
    ] * 2
    assert {e.facilitator.username for e in entries} == {FACILITATOR["email"]}


def test_both_organisations_list_local_services(demo):
    assert set(LocalService.objects.values_list("organisation__slug", flat=True)) == {
        "riverside",
        "northside",
    }


def test_one_date_is_cancelled_with_a_reason(demo):
    cancelled = Session.objects.get(status=SessionStatus.CANCELLED)
    assert cancelled.workshop.slug == "tuesday-evening-group"
    assert "polling station" in cancelled.cancellation_reason


def test_mentoring_is_by_appointment_one_place_per_slot(demo):
    slots = meetings_demo().filter(workshop__slug="one-to-one-mentoring")
    assert slots.count() >= 3 and set(slots.values_list("capacity", flat=True)) == {1}
    assert slots.filter(places_taken=1).count() == 1


def test_demo_participants_give_only_a_first_name_and_an_example_address(demo):
    # Bookings of sessions that ended before the retention period had their details removed.
    cutoff = timezone.now() - datetime.timedelta(days=setting("PARTICIPANT_RETENTION_DAYS"))
    assert not Booking.objects.filter(session__ends_at__lt=cutoff, anonymised_at=None).exists()
    bookings = Booking.objects.filter(anonymised_at__isnull=True)
    assert bookings.exists()
    assert all(b.email.endswith("@example.org") and " " not in b.first_name for b in bookings)
    assert not bookings.exclude(phone="").exists()
    assert not bookings.filter(user__isnull=False).exists()


# Booking messages go out when the demo's transaction really commits, as it does in load_demo.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_loading_the_demo_sends_nothing_to_the_demo_participants():
    load()
    participants = set(Booking.objects.values_list("email", flat=True))
    sent_to = {address for message in mail.outbox for address in message.to}
    assert participants and not participants & sent_to
