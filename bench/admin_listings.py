"""Admin listings at scale: certificate list, learner progress report, verification lookup and the
dashboard panel with 10,000 learners (12 modules each, ~6,000 certificates).

    .venv/bin/python bench/admin_listings.py [--learners 10000] [--repeat 7]

Builds a throw-away SQLite database (config.settings.bench, SQLITE_PATH in a temp directory),
seeds it with `seed_load`, then times each page through Django's test Client logged in as a
superuser (median of --repeat runs after a warm-up), counts each page's queries at 1,000 and at
--learners learners, and measures the full CSV export in rows per second. Prints a Markdown table.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="peerpath-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    os.environ["SQLITE_PATH"] = str(Path(workdir) / "bench.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", str(Path(workdir) / "media"))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from certificates.dashboard import CertificationPanel
    from certificates.models import Certificate

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Site

    if not Site.objects.filter(is_default_site=True).exists():
        root = Page.get_first_root_node()
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)
    admin = get_user_model().objects.create_superuser("bench-admin", "bench@example.org", "x")
    client = Client()
    client.force_login(admin)

    def pages():
        code = Certificate.objects.values_list("verification_code", flat=True).first()
        return {
            "Certificates, first page": reverse("certificates_admin:index"),
            "Certificates, filtered (expiring ≤60 d)": reverse("certificates_admin:index")
            + "?status=valid&expiring_within=60",
            "Learner progress, first page": reverse("certificates_admin:progress"),
            "Learner progress, state=certified": reverse("certificates_admin:progress")
            + "?state=certified",
            "Verification lookup": reverse("certificates_admin:verify") + f"?code={code}",
        }

    def panel():
        from django.template.loader import get_template  # noqa: F401

        CertificationPanel(admin).render_html({})

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def queries(action):
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured)

    def median_ms(action):
        action()
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            action()
            runs.append((time.perf_counter() - started) * 1000)
        return statistics.median(runs)

    def seed(n):
        started = time.perf_counter()
        call_command("seed_load", learners=n, verbosity=0, stdout=open(os.devnull, "w"))
        return time.perf_counter() - started

    small = min(1000, args.learners)
    seeded = seed(small)
    small_queries = {name: queries(lambda u=url: get(u)) for name, url in pages().items()}
    small_queries["Dashboard panel"] = queries(panel)

    seeded += seed(args.learners - small)
    rows = []
    for name, url in pages().items():
        rows.append(
            (
                name,
                median_ms(lambda u=url: get(u)),
                small_queries[name],
                queries(lambda u=url: get(u)),
            )
        )
    rows.append(
        ("Dashboard panel", median_ms(panel), small_queries["Dashboard panel"], queries(panel))
    )

    export_url = reverse("certificates_admin:index") + "?export=csv"
    started = time.perf_counter()
    response = get(export_url)
    exported = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    export_seconds = time.perf_counter() - started

    progress_url = reverse("certificates_admin:progress") + "?export=csv"
    started = time.perf_counter()
    response = get(progress_url)
    progress_rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    progress_seconds = time.perf_counter() - started

    print(f"Seeded {args.learners} learners in {seeded:.1f}s (seed_load, bulk inserts).\n")
    print(
        f"| page | median ms ({args.repeat} runs) | queries @ {small} | queries @ {args.learners} |"
    )
    print("| --- | ---: | ---: | ---: |")
    for name, ms, q_small, q_large in rows:
        print(f"| {name} | {ms:.1f} | {q_small} | {q_large} |")
    print(
        f"\nCSV export, certificates: {exported} rows in {export_seconds:.2f}s = "
        f"{exported / export_seconds:,.0f} rows/s"
    )
    print(
        f"CSV export, learner progress: {progress_rows} rows in {progress_seconds:.2f}s = "
        f"{progress_rows / progress_seconds:,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
