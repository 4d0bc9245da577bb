"""The Quality report at scale: completed sessions with debriefs, bookings and feedback, grouped by
workshop, facilitator and month, against the admin's own Sessions listing over the same data.

    .venv/bin/python bench/quality_report.py [--sessions 4000] [--organisations 20] [--repeat 7]

Builds a throw-away SQLite database (config.settings.bench), seeds `--organisations` organisations
(one workshop and two facilitators each, `bench.seeding_sessions`) and `--sessions` completed
sessions over the last three months, each with a lead on its roster, eight bookings (six came, two
of them returning), a debrief (signposting, fidelity, one in forty with a concern) and four
feedback answers. Then, logged in as a superuser, times each page through Django's test Client
(median of --repeat runs after a warm-up) and counts its queries at a quarter of the sessions and
at all of them: the same count means the report does not grow a query per session. Prints Markdown.
"""

import argparse
import itertools
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import admin_client  # noqa: E402 - needs ROOT on the path

BATCH = 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4000)
    parser.add_argument("--organisations", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    client, admin = admin_client()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    period = {
        "date_from": (today - timedelta(days=130)).isoformat(),
        "date_to": today.isoformat(),
    }
    report = reverse("meetings_quality:index")
    pages = {
        "Sessions listing (the admin's own, baseline)": reverse("meetings_sessions:index")
        + "?status=completed",
        "Quality, by workshop": report,
        "Quality, by facilitator": report,
        "Quality, by month": report,
        "Quality export (CSV), by workshop": report,
    }
    params = {
        "Quality, by workshop": {**period, "group_by": "workshop"},
        "Quality, by facilitator": {**period, "group_by": "facilitator"},
        "Quality, by month": {**period, "group_by": "month"},
        "Quality export (CSV), by workshop": {**period, "group_by": "workshop", "export": "csv"},
    }

    def get(name):
        response = client.get(pages[name], params.get(name, {}))
        assert response.status_code == 200, (name, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            get(name)
        return len(captured)

    rng = random.Random(0)
    quarter = max(1, args.sessions // 4)
    seed(quarter, args.organisations, rng, today)
    counts_small = {name: queries(name) for name in pages}
    seed(args.sessions - quarter, args.organisations, rng, today)
    counts_full = {name: queries(name) for name in pages}

    timings = {}
    for name in pages:
        get(name)  # warm-up
        runs = []
        for _run in range(args.repeat):
            started = time.perf_counter()
            get(name)
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = statistics.median(runs)

    baseline = next(iter(pages))
    print(
        f"## Quality report: {args.sessions:,} completed sessions, "
        f"{args.organisations} organisations\n"
    )
    print(
        f"| page | median (ms) | ÷ baseline | queries at {quarter:,} | "
        f"queries at {args.sessions:,} |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in pages:
        print(
            f"| {name} | {timings[name]:.1f} | {timings[name] / timings[baseline]:.2f}× | "
            f"{counts_small[name]} | {counts_full[name]} |"
        )


def seed(count, organisations, rng, today):
    """`count` more completed sessions with their roster, bookings, debrief and feedback."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from bench.seeding_sessions import bench_organisation, bench_workshop, session_rows
    from peerpath.meetings.choices import BookingStatus, HowItWent, Role, SessionStatus
    from peerpath.meetings.models import (
        Booking,
        Debrief,
        FeedbackResponse,
        RosterAssignment,
        SafeguardingConcern,
        Session,
    )

    User = get_user_model()
    with transaction.atomic():
        workshops, leads = [], {}
        for number in range(organisations):
            organisation = bench_organisation(number)
            workshops.append((bench_workshop(organisation, number), organisation))
            leads[organisation.pk] = [
                User.objects.get_or_create(
                    username=f"lead-{number}-{n}@bench.example",
                    defaults={"email": f"lead-{number}-{n}@bench.example", "first_name": "Lead"},
                )[0]
                for n in range(2)
            ]
        categories = {
            organisation.pk: list(organisation.signposting_categories.all())
            for _workshop, organisation in workshops
        }
        rows = session_rows(workshops, count, rng, today - timedelta(days=125), taken=False)
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
                    debrief=debrief, signpostingcategory=rng.choice(categories[organisation_id])
                )
                for debrief, organisation_id in (
                    (debrief, debrief.session.organisation_id) for debrief in debriefs
                )
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
                    submitted_on=session.starts_at.date() + timedelta(days=1),
                )
                for session in sessions
                for _n in range(4)
            )


if __name__ == "__main__":
    main()
