"""Admin listings at scale: certificate list, learner progress report, verification lookup and the
dashboard panel with 10,000 learners (12 modules each, ~6,000 certificates).

    .venv/bin/python bench/admin_listings.py [--learners 10000] [--repeat 7]

Builds a throw-away SQLite database (config.settings.bench, SQLITE_PATH in a temp directory),
seeds it with `bench.seeding.seed_learners`, then times each page through Django's test Client
logged in as a superuser (median of --repeat runs after a warm-up), counts each page's queries at 1,000 and at
--learners learners, and measures each full export in rows per second, with the peak memory
Python allocated while it ran (tracemalloc, a separate untimed run) at half and at full size:
flat means the export streams. Prints Markdown tables.
"""

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import admin_client  # noqa: E402 - needs ROOT on the path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    client, admin = admin_client()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.seeding import seed_learners
    from peerpath.certificates.dashboard import CertificationPanel
    from peerpath.certificates.models import Certificate, CertificateStatus
    from peerpath.certificates.reports import LearnerState

    certificates_url = reverse("certificates_admin:index")
    progress_url = reverse("certificates_admin:progress")

    def pages():
        code = Certificate.objects.values_list("verification_code", flat=True).first()
        return {
            "Certificates, first page": certificates_url,
            **{
                f"Certificates, status={status}": f"{certificates_url}?status={status}"
                for status in CertificateStatus.values
            },
            "Certificates, expiring ≤60 d": f"{certificates_url}?status=valid&expiring_within=60",
            "Learner progress, first page": progress_url,
            **{
                f"Learner progress, state={state}": f"{progress_url}?state={state}"
                for state in LearnerState.values
            },
            "Verification lookup": reverse("certificates_admin:verify") + f"?code={code}",
        }

    exports = {
        "Certificates CSV": f"{certificates_url}?export=csv",
        "Learner progress CSV": f"{progress_url}?export=csv",
        "Certificates XLSX": f"{certificates_url}?export=xlsx",
        "Learner progress XLSX": f"{progress_url}?export=xlsx",
    }

    def export(url):
        """Read the whole export as it is sent; returns its number of data rows for CSV, None
        for XLSX (counted separately, untimed, by `xlsx_rows`)."""
        lines = sum(chunk.count(b"\n") for chunk in get(url).streaming_content)
        return lines - 1 if "export=csv" in url else None

    def xlsx_rows(url):
        import io

        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(get(url).streaming_content)))
        return workbook.active.max_row - 1

    def peak_kib(url):
        tracemalloc.start()
        export(url)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak / 1024

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
        seed_learners(n)
        return time.perf_counter() - started

    small = min(1000, args.learners)
    seeded = seed(small)
    small_queries = {name: queries(lambda u=url: get(u)) for name, url in pages().items()}
    small_queries["Dashboard panel"] = queries(panel)
    # Peak memory at half and at full size, both well past one chunk of rows: flat if streamed.
    half = args.learners // 2
    seeded += seed(half - small)
    half_peaks = {name: peak_kib(url) for name, url in exports.items()}

    seeded += seed(args.learners - half)
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

    export_rows = []
    for name, url in exports.items():
        export(url)  # warm-up
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            rows_read = export(url)
            timings.append(time.perf_counter() - started)
        seconds = statistics.median(timings)
        if rows_read is None:
            rows_read = xlsx_rows(url)
        export_rows.append((name, rows_read, seconds, half_peaks[name], peak_kib(url)))

    print(f"Seeded {args.learners} learners in {seeded:.1f}s (bench.seeding, bulk inserts).\n")
    print(
        f"| page | median ms ({args.repeat} runs) | queries @ {small} | queries @ {args.learners} |"
    )
    print("| --- | ---: | ---: | ---: |")
    for name, ms, q_small, q_large in rows:
        print(f"| {name} | {ms:.1f} | {q_small} | {q_large} |")
    print(
        f"\n| export (median of 3) | rows | seconds | rows/s | peak KiB @ {half} "
        f"| peak KiB @ {args.learners} |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, rows_read, seconds, peak_half, peak_full in export_rows:
        print(
            f"| {name} | {rows_read} | {seconds:.2f} | {rows_read / seconds:,.0f} "
            f"| {peak_half:,.0f} | {peak_full:,.0f} |"
        )


if __name__ == "__main__":
    main()
