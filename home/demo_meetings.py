"""Demo content for sessions: the demo workshops meet on real dates, from the day `load_demo` runs.

- The Tuesday evening support group meets every week at a community centre (step-free, with a
  hearing loop); its first date has a few bookings and its third is cancelled with a reason.
- The online group for carers meets every other Thursday evening, with a joining link that only
  people with a place see.
- The boundaries workshop is a one-off on a Saturday morning, fully booked, with a waiting list.
- Mentoring is by appointment: a handful of one-to-one online slots of one place each, one taken.

The demo facilitator (who holds the valid Foundations certificate from `demo_certificates`) joins
both organisations and leads every session, so the roster rule is met by the data, not bent.
Schedules, rosters, bookings and cancellations all go through the meetings services.

Idempotent: a workshop that already has a series or sessions keeps them (only missing dates up to
the horizon are added, as the daily job would), and bookings are made only with a new schedule.
Participants are first names with example.org addresses, which cannot receive mail: the messages
booking sends them are dropped while the demo loads.
"""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from home.demo_certificates import FACILITATOR
from peerpath.meetings import booking, roster, scheduling
from peerpath.meetings.choices import Frequency, Mode, Role
from peerpath.meetings.models import Session, SessionSeries
from peerpath.organisations.models import OrganisationMembership
from peerpath.workshops.models import WorkshopPage

TUESDAY, THURSDAY, SATURDAY = 1, 3, 5

COMMUNITY_CENTRE = {
    "venue_name": "Riverside Community Centre, Willow Room",
    "address": "12 Mill Lane\nRiverside\nRV1 4AB",
    "accessibility_notes": (
        "Step-free entrance from the car park and a lift to the Willow Room. A hearing loop is "
        "fitted in the room, there is an accessible toilet on the same floor, and the small room "
        "next door is kept free if you need a quiet moment. Buses 4 and 12 stop outside."
    ),
}

SERIES = [
    {
        "workshop": "tuesday-evening-group",
        "frequency": Frequency.WEEKLY,
        "weekday": TUESDAY,
        "start_time": datetime.time(19, 0),
        "duration_minutes": 90,
        "mode": Mode.IN_PERSON,
        "capacity": 12,
        **COMMUNITY_CENTRE,
        # Bookings for the first date; the third date is cancelled.
        "bookings": ["Priya", "Tom", "Aisha", "Mark", "Lena"],
        "cancel": (
            2,
            "The community centre is a polling station that day, so the group cannot meet. "
            "We are back the week after, same time and place.",
        ),
    },
    {
        "workshop": "thursday-online-group",
        "frequency": Frequency.FORTNIGHTLY,
        "weekday": THURSDAY,
        "start_time": datetime.time(19, 30),
        "duration_minutes": 75,
        "mode": Mode.ONLINE,
        "joining_link": "https://meet.example.org/northside-carers-group",
        "accessibility_notes": (
            "Live captions are switched on. Cameras are optional and you can take part by typing "
            "in the chat."
        ),
        "capacity": 10,
        "bookings": ["Grace", "Owen", "Fatima"],
        "cancel": None,
    },
]

BOUNDARIES_WORKSHOP = {
    "workshop": "boundaries-and-self-care",
    "weekday": SATURDAY,
    "weeks_ahead": 2,
    "start_time": datetime.time(10, 0),
    "duration_minutes": 150,
    "mode": Mode.IN_PERSON,
    "capacity": 10,
    **COMMUNITY_CENTRE,
    # Ten places and twelve people: the last two are on the waiting list.
    "bookings": [
        "Hannah",
        "Ravi",
        "Chloe",
        "Dev",
        "Efua",
        "Finn",
        "Iris",
        "Jon",
        "Kemi",
        "Luca",
        "Maya",
        "Noah",
    ],
}

MENTORING = {
    "workshop": "one-to-one-mentoring",
    # One-to-one appointments: one place each, a few days ahead.
    "days_ahead": [3, 5, 8, 10],
    "start_time": datetime.time(17, 30),
    "duration_minutes": 60,
    "mode": Mode.ONLINE,
    "joining_link": "https://meet.example.org/northside-mentoring",
    "accessibility_notes": "A phone call instead of video is fine: say so when you book.",
    "capacity": 1,
    "bookings": ["Zoe"],
}

QUIET_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


def next_weekday(today, weekday, weeks_ahead=0):
    """The first `weekday` (Monday 0) strictly after `today`, plus `weeks_ahead` weeks."""
    days = (weekday - today.weekday()) % 7 or 7
    return today + datetime.timedelta(days=days, weeks=weeks_ahead)


def participant_email(first_name, workshop):
    return f"{first_name.lower()}.{workshop.slug}@example.org"


def book_people(session, names):
    """Book `names` onto `session` in order (places first, then the waiting list)."""
    for name in names:
        booking.book(session, first_name=name, email=participant_email(name, session.workshop))


def demo_workshop(slug):
    return WorkshopPage.objects.filter(slug=slug).first()


def ensure_facilitator(workshops):
    """The demo facilitator, a member of each workshop's organisation; None if they cannot lead
    (no certificate demo, or workshops without a programme)."""
    user = get_user_model().objects.filter(username=FACILITATOR["email"]).first()
    if user is None:
        return None
    for organisation in {workshop.organisation for workshop in workshops}:
        OrganisationMembership.objects.get_or_create(user=user, organisation=organisation)
    if any(roster.facilitator_problem(user, workshop) for workshop in workshops):
        return None
    return user


def ensure_series(spec, workshop, facilitator, today):
    """The workshop's weekly or fortnightly series, its dates to the horizon, its roster, and (for
    a new series) its bookings and cancelled date."""
    series = SessionSeries.objects.filter(workshop=workshop).order_by("pk").first()
    created = series is None
    if created:
        series = SessionSeries(
            workshop=workshop,
            organisation=workshop.organisation,
            time_zone=workshop.organisation.time_zone,
            frequency=spec["frequency"],
            starts_on=next_weekday(today, spec["weekday"]),
            start_time=spec["start_time"],
            **{field: spec[field] for field in Session.DETAIL_FIELDS if field in spec},
        )
        series.full_clean()
        series.save()
    scheduling.extend_series(series)
    if facilitator is not None and not series.roster.filter(role=Role.LEAD).exists():
        roster.set_series_roster(series, facilitator)
    if created:
        dates = list(Session.objects.filter(series=series).order_by("starts_at"))
        book_people(dates[0], spec["bookings"])
        if spec["cancel"]:
            index, reason = spec["cancel"]
            scheduling.cancel_session(dates[index], reason)
    return series


def one_off_session(spec, workshop, day):
    """An unsaved one-off session of `workshop` on `day` at the spec's local start time."""
    session = Session(
        workshop=workshop,
        organisation=workshop.organisation,
        time_zone=workshop.organisation.time_zone,
        starts_at=scheduling.local_datetime(
            day, spec["start_time"], workshop.organisation.time_zone
        ),
        **{field: spec[field] for field in Session.DETAIL_FIELDS if field in spec},
    )
    session.derive_columns()
    session.full_clean()
    session.save()
    return session


def ensure_one_offs(spec, workshop, days, facilitator):
    """One-off sessions of `workshop` on `days`, made only if it has none; the first ones take
    the spec's bookings (in order, so a full session puts the rest on its waiting list)."""
    if Session.objects.filter(workshop=workshop).exists():
        return []
    sessions = [one_off_session(spec, workshop, day) for day in days]
    for session in sessions:
        if facilitator is not None:
            roster.assign(session, facilitator, Role.LEAD)
    book_people(sessions[0], spec["bookings"])
    return sessions


def load(stdout=None):
    """Give the demo workshops their schedules; returns {workshop slug: its sessions}.

    The demo participants' example.org addresses cannot receive mail, so their confirmations
    (sent when the transaction commits) go nowhere instead of filling the console.
    """
    with override_settings(EMAIL_BACKEND=QUIET_EMAIL_BACKEND), transaction.atomic():
        return load_sessions(stdout)


def load_sessions(stdout=None):
    """The schedules, rosters, bookings and cancellation, in the caller's transaction."""
    slugs = [spec["workshop"] for spec in SERIES] + [
        BOUNDARIES_WORKSHOP["workshop"],
        MENTORING["workshop"],
    ]
    workshops = {slug: demo_workshop(slug) for slug in slugs}
    if any(workshop is None for workshop in workshops.values()):
        if stdout is not None:
            stdout.write("  sessions: the demo workshops are missing, so no sessions")
        return {}
    facilitator = ensure_facilitator(list(workshops.values()))
    if facilitator is None and stdout is not None:
        stdout.write("  sessions: no certified demo facilitator, so the rosters are empty")

    for spec in SERIES:
        workshop = workshops[spec["workshop"]]
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(workshop.organisation.time_zone))
        ensure_series(spec, workshop, facilitator, today)

    today = timezone.localdate()
    spec = BOUNDARIES_WORKSHOP
    ensure_one_offs(
        spec,
        workshops[spec["workshop"]],
        [next_weekday(today, spec["weekday"], spec["weeks_ahead"])],
        facilitator,
    )
    spec = MENTORING
    ensure_one_offs(
        spec,
        workshops[spec["workshop"]],
        [today + datetime.timedelta(days=days) for days in spec["days_ahead"]],
        facilitator,
    )

    if stdout is not None and facilitator is not None:
        stdout.write(f"  sessions: {FACILITATOR['email']} leads every demo session (/groups/mine/)")
    return {
        slug: list(Session.objects.filter(workshop=workshop))
        for slug, workshop in workshops.items()
    }
