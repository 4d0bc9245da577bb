"""Bulk seeding of sessions for the finder benchmark and the booking load test. Bench tooling, not
part of the installable apps.

`seed_sessions(2000, organisations=50)` makes 50 organisations (each set up as the admin would,
with its workshop index page), one published workshop each, and 2,000 upcoming sessions spread
over them and over the next four months: every weekday, mornings to evenings, in person and
online, some full. The sessions are written with `bulk_create`, their stored columns (end, local
weekday and start time) derived by `Session.derive_columns()` as `save()` would.

`seed_completed_sessions(...)` makes sessions that have happened, with a lead on the roster,
bookings (some came, some returning), a debrief (signposting, fidelity, now and then a concern)
and feedback: the history the Quality report (bench/quality_report.py) and the impact report
(bench/coordination.py) read.
"""

import datetime
import itertools
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from peerpath.meetings.choices import BookingStatus, HowItWent, Mode, Role, SessionStatus
from peerpath.meetings.models import (
    Booking,
    Debrief,
    FeedbackResponse,
    RosterAssignment,
    SafeguardingConcern,
    Session,
)
from peerpath.meetings.scheduling import local_datetime
from peerpath.organisations.models import Organisation
from peerpath.organisations.setup import set_up_organisation
from peerpath.workshops.models import WorkshopIndexPage, WorkshopPage

PREFIX = "bench-org-"
BATCH = 500
TIME_ZONES = ["Europe/London", "Europe/Dublin", "Europe/Berlin", "America/New_York"]
START_TIMES = [datetime.time(10), datetime.time(13, 30), datetime.time(18), datetime.time(19, 30)]
KINDS = [
    (WorkshopPage.Format.SUPPORT_GROUP, WorkshopPage.Audience.LIVED_EXPERIENCE),
    (WorkshopPage.Format.ONLINE_GROUP, WorkshopPage.Audience.CARERS),
    (WorkshopPage.Format.WORKSHOP, WorkshopPage.Audience.FACILITATORS),
    (WorkshopPage.Format.MENTORING, WorkshopPage.Audience.YOUNG_PEOPLE),
]


def bench_organisation(number):
    """Organisation `number` of the benchmark, set up (collections, editors, workshop index)."""
    organisation, created = Organisation.objects.get_or_create(
        slug=f"{PREFIX}{number}",
        defaults={
            "name": f"Bench Peer Network {number}",
            "time_zone": TIME_ZONES[number % len(TIME_ZONES)],
            "safeguarding_contact_name": "Safeguarding lead",
            "safeguarding_email": f"safeguarding@org{number}.bench.example",
        },
    )
    if created:
        set_up_organisation(organisation)
    return organisation


def bench_workshop(organisation, number):
    """The organisation's one published workshop, made once."""
    index = WorkshopIndexPage.objects.get(organisation=organisation)
    workshop = WorkshopPage.objects.child_of(index).first()
    if workshop is not None:
        return workshop
    format_, audience = KINDS[number % len(KINDS)]
    workshop = WorkshopPage(
        title=f"Peer support group {number}",
        slug=f"group-{number}",
        summary="A friendly group for people who share similar struggles, led by peers.",
        format=format_,
        audience=audience,
        duration_minutes=90,
        group_agreements=[{"type": "agreement", "value": "What is said here stays here."}],
        safety_protocol="<p>Stay with the person and call the crisis line.</p>",
    )
    index.add_child(instance=workshop)
    workshop.save_revision().publish()
    return workshop


def session_rows(workshops, count, rng, today, taken=True, days=120):
    """`count` unsaved sessions over `workshops` on the `days` days after `today`, their stored
    columns derived; with `taken`, some places are already taken (the finder shows them; no
    bookings are made)."""
    for n in range(count):
        workshop, organisation = workshops[n % len(workshops)]
        day = today + datetime.timedelta(days=1 + rng.randrange(days))
        online = n % 3 == 0
        capacity = rng.choice([8, 10, 12, 16])
        session = Session(
            workshop=workshop,
            organisation=organisation,
            time_zone=organisation.time_zone,
            starts_at=local_datetime(
                day, START_TIMES[n % len(START_TIMES)], organisation.time_zone
            ),
            duration_minutes=90,
            mode=Mode.ONLINE if online else Mode.IN_PERSON,
            venue_name="" if online else f"Community hall {n % 37}",
            address="" if online else f"{n % 90 + 1} High Street",
            joining_link=f"https://meet.example.org/bench-{n}" if online else "",
            capacity=capacity,
            # One in ten is full, so the finder shows "Join the waiting list" too.
            places_taken=(capacity if n % 10 == 0 else rng.randrange(capacity)) if taken else 0,
        )
        session.derive_columns()
        yield session


@transaction.atomic
def seed_sessions(count=2000, *, organisations=50, seed=0, taken=True):
    """`organisations` organisations with a workshop each and `count` upcoming sessions among them
    (made once: a second call with the same numbers adds nothing). Without `taken`, every place
    is free, for the booking load test, whose bookings must account for every place taken."""
    rng = random.Random(seed)
    workshops = []
    for number in range(organisations):
        organisation = bench_organisation(number)
        workshops.append((bench_workshop(organisation, number), organisation))
    existing = Session.objects.filter(organisation__slug__startswith=PREFIX).count()
    rows = session_rows(workshops, max(0, count - existing), rng, timezone.localdate(), taken)
    while batch := list(itertools.islice(rows, BATCH)):
        Session.objects.bulk_create(batch)
    return {
        "organisations": organisations,
        "sessions": Session.objects.filter(organisation__slug__startswith=PREFIX).count(),
    }


def bench_leads(organisation, number):
    """Two facilitators for organisation `number`, made once."""
    user_model = get_user_model()
    return [
        user_model.objects.get_or_create(
            username=f"lead-{number}-{n}@bench.example",
            defaults={"email": f"lead-{number}-{n}@bench.example", "first_name": "Lead"},
        )[0]
        for n in range(2)
    ]


@transaction.atomic
def seed_completed_sessions(count, organisations, rng, first_day, *, days=120, leads=None):
    """`count` more completed sessions over `organisations` (each with its one workshop), on the
    `days` days after `first_day`, each with a lead on its roster (from `leads`, a dict of
    organisation pk to users; by default two per organisation, `bench_leads`), eight bookings
    (six came, two of them returning), a debrief (signposting, fidelity, one in forty with a
    concern) and four feedback answers."""
    workshops = []
    leads = dict(leads or {})
    for number, organisation in enumerate(organisations):
        workshops.append((bench_workshop(organisation, number), organisation))
        if organisation.pk not in leads:
            leads[organisation.pk] = bench_leads(organisation, number)
    categories = {
        organisation.pk: list(organisation.signposting_categories.all())
        for organisation in organisations
    }
    rows = session_rows(workshops, count, rng, first_day, taken=False, days=days)
    while batch := list(itertools.islice(rows, BATCH)):
        for session in batch:
            session.status = SessionStatus.COMPLETED
            session.completed_at = session.ends_at
            session.attendance_count = 6 + session.walk_ins
            session.places_taken = 8
            session.capacity = max(session.capacity, 8)
        sessions = Session.objects.bulk_create(batch)
        RosterAssignment.objects.bulk_create(
            RosterAssignment(
                session=session,
                facilitator=rng.choice(leads[session.organisation_id]),
                role=Role.LEAD,
            )
            for session in sessions
        )
        Booking.objects.bulk_create(
            Booking(
                session=session,
                first_name="Sam",
                email=f"p{session.pk}-{n}@bench.example",
                status=BookingStatus.CONFIRMED,
                attended=n < 6,
                returning=n < 2,
            )
            for session in sessions
            for n in range(8)
        )
        debriefs = Debrief.objects.bulk_create(
            Debrief(
                session=session,
                attendance=6,
                how_it_went=rng.choice(HowItWent.values),
                fidelity=[
                    {"check": "Group agreements read at the start", "done": True},
                    {"check": "A check-out round at the end", "done": rng.random() < 0.8},
                    {"check": "Resources and signposting shared", "done": rng.random() < 0.9},
                ],
                concern=n % 40 == 0,
            )
            for n, session in enumerate(sessions)
        )
        Debrief.signposting.through.objects.bulk_create(
            Debrief.signposting.through(
                debrief=debrief,
                signpostingcategory=rng.choice(categories[debrief.session.organisation_id]),
            )
            for debrief in debriefs
            if rng.random() < 0.4
        )
        SafeguardingConcern.objects.bulk_create(
            SafeguardingConcern(
                debrief=debrief,
                session=debrief.session,
                organisation_id=debrief.session.organisation_id,
                summary="A concern, named nobody.",
            )
            for debrief in debriefs
            if debrief.concern
        )
        FeedbackResponse.objects.bulk_create(
            FeedbackResponse(
                session=session,
                felt_safe=rng.randint(3, 5),
                felt_heard=rng.randint(3, 5),
                would_return=rng.randint(2, 5),
                submitted_on=session.starts_at.date() + datetime.timedelta(days=1),
            )
            for session in sessions
            for _n in range(4)
        )
