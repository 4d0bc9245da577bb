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
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import admin_client  # noqa: E402 - needs ROOT on the path


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
    """`count` more completed sessions over the last four months (`bench.seeding_sessions`)."""
    from bench.seeding_sessions import bench_organisation, seed_completed_sessions

    seed_completed_sessions(
        count,
        [bench_organisation(number) for number in range(organisations)],
        rng,
        today - timedelta(days=125),
    )


if __name__ == "__main__":
    main()
