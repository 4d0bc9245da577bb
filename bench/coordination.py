"""Coordination at scale: the People list, a cohort's coach view and a year's impact report with
100,000 learners (12 progress rows each, ~1.2 million) in 200 organisations, against the admin's
own Certificates listing and the Wagtail dashboard over the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerpath_bench_coord \\
        .venv/bin/python bench/coordination.py [--learners 100000] [--organisations 200] \\
        [--largest-share 0.1] [--sessions 1000] [--repeat 7] [--keep]

On PostgreSQL when `DATABASE_URL` names a `peerpath_bench…` database (made afresh and dropped at
the end unless `--keep`; `bench/scratch.py`), else a throw-away SQLite database. Seeds in two
steps, a tenth of everything and then the rest (`bench.seeding`): `--learners` learners over
`--organisations` organisations, the first ("Riverside Peer Network", the organisation under test)
holding `--largest-share` of them; every organisation runs the programme and has cohorts
(a cohort of a tenth of `--cohort-members` at the first step, then one of `--cohort-members`), the
first three a coordinator; and the organisation under test's completed sessions over the last
year, led by its certified members, with bookings, debriefs and feedback
(`bench.seeding_sessions`).

Then, as that organisation's coordinator and as a superuser, times each page through Django's
test Client (median of --repeat runs after a warm-up), and counts its queries at both steps: the
same count means the page does not grow a query per learner, member or session. The coach view is
counted on the first step's small cohort and timed and counted on the full one. Prints Markdown.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import admin_client  # noqa: E402 - needs ROOT on the path

TARGET_MS = {"People": 300, "Coach view": 300, "Impact": 2000}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--largest-share", type=float, default=0.1)
    parser.add_argument("--cohort-members", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    client, admin = admin_client(keep=args.keep)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from bench.seeding import seed_cohorts, seed_learners
    from bench.seeding_sessions import seed_completed_sessions
    from peerpath.certificates.models import Certificate
    from peerpath.organisations.models import OrganisationMembership

    today = timezone.localdate()
    rng = random.Random(0)
    seconds = {}

    def timed(label, action):
        started = time.perf_counter()
        result = action()
        seconds[label] = seconds.get(label, 0) + time.perf_counter() - started
        return result

    def seed_step(learners, sessions, cohort_members, step):
        summary = timed(
            "learners",
            lambda: seed_learners(
                learners,
                seed=step,
                organisations=args.organisations,
                largest_share=args.largest_share,
            ),
        )
        organisations = summary["organisations"]
        cohorts = timed(
            "cohorts",
            lambda: seed_cohorts(
                organisations, per_organisation=1, members=cohort_members, seed=step
            ),
        )
        tested = organisations[0]
        members = OrganisationMembership.objects.filter(organisation=tested).values("user_id")
        leads = list(
            Certificate.objects.filter(holder__in=members, revoked_at__isnull=True)
            .order_by("holder_id")
            .values_list("holder", flat=True)
            .distinct()[:20]
        )
        leads = list(get_user_model().objects.filter(pk__in=leads))
        timed(
            "sessions",
            lambda: seed_completed_sessions(
                sessions,
                [tested],
                rng,
                today - timedelta(days=370),
                days=365,
                leads={tested.pk: leads},
            ),
        )
        if connection.vendor == "postgresql":
            # As autovacuum would after a bulk load: without statistics the planner misjudges
            # the certificate-status subqueries, and PostgreSQL's JIT then compiles for seconds.
            timed("analyze", lambda: connection.cursor().execute("ANALYZE"))
        return tested, cohorts["coordinators"][tested.pk], cohorts["cohorts"][tested.pk][0]

    small = max(1, args.learners // 10)
    tested, coordinator, small_cohort = seed_step(
        small, max(1, args.sessions // 10), max(1, args.cohort_members // 10), step=1
    )
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    clients = {"coordinator": coordinator_client, "superuser": client}

    def pages(cohort):
        found = {
            "Certificates, first page (baseline)": reverse("certificates_admin:index"),
            "Wagtail dashboard (baseline)": reverse("wagtailadmin_home"),
            "People, first page": reverse("coordination_people:index"),
            "Coach view": reverse("coordination_cohorts:coach", args=[cohort.pk]),
        }
        try:
            found["Impact, year"] = reverse("coordination_impact:report", args=[tested.pk])
        except NoReverseMatch:
            print("(The impact report is not registered yet: not measured.)", file=sys.stderr)
        return found

    params = {"Impact, year": {"period": "year", "anchor": today.isoformat()}}

    failures = {}

    def get(who, name, url):
        try:
            response = clients[who].get(url, params.get(name, {}))
        except Exception as error:  # noqa: BLE001 - a page still being written: report it
            failures[who, name] = f"error: {type(error).__name__}: {error}"
            return None
        if response.status_code != 200:
            failures[who, name] = f"HTTP {response.status_code}"
            return None
        response.content  # noqa: B018 - read it all, as a browser would
        return response

    def queries(who, name, url):
        get(who, name, url)  # once first, so that one-off caches (sites, menus) do not count
        with CaptureQueriesContext(connection) as captured:
            if get(who, name, url) is None:
                return None
        return len(captured)

    counts_small = {
        (who, name): queries(who, name, url)
        for who in clients
        for name, url in pages(small_cohort).items()
    }

    _tested, _coordinator, cohort = seed_step(
        args.learners - small,
        args.sessions - max(1, args.sessions // 10),
        args.cohort_members,
        step=2,
    )
    full_pages = pages(cohort)
    counts_full = {
        (who, name): queries(who, name, url) for who in clients for name, url in full_pages.items()
    }

    timings = {}
    for who in clients:
        for name, url in full_pages.items():
            if get(who, name, url) is None:  # warm-up; a refused page is reported as such
                continue
            runs = []
            for _run in range(args.repeat):
                started = time.perf_counter()
                get(who, name, url)
                runs.append((time.perf_counter() - started) * 1000)
            timings[who, name] = statistics.median(runs)

    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    members = OrganisationMembership.objects.filter(organisation=tested).count()
    print(
        f"## Coordination: {args.learners:,} learners, {args.organisations} organisations "
        f"({database})\n"
    )
    print(
        f"Organisation under test: {tested.name}, {members:,} members, cohort of "
        f"{cohort.memberships.count()} members, {args.sessions:,} sessions in the last year. "
        "Seeding took "
        + ", ".join(f"{label} {value:.0f} s" for label, value in seconds.items())
        + ".\n"
    )
    print(
        f"| as | page | median (ms) | target | ÷ baseline | queries at {small:,} | "
        f"queries at {args.learners:,} |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for who in clients:
        baseline = timings.get((who, "Certificates, first page (baseline)"))
        for name in full_pages:
            ms = timings.get((who, name))
            target = next((t for key, t in TARGET_MS.items() if name.startswith(key)), None)
            if ms is None:
                print(f"| {who} | {name} | {failures.get((who, name), '')} | | | | |")
                continue
            ratio = f"{ms / baseline:.2f}×" if baseline else ""
            print(
                f"| {who} | {name} | {ms:.1f} | {f'{target:,}' if target else ''} | {ratio} | "
                f"{counts_small[who, name]} | {counts_full[who, name]} |"
            )


if __name__ == "__main__":
    main()
