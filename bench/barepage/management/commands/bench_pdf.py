"""Times certificate PDF work against a bare WeasyPrint render of the same HTML, in one process.

Prints one JSON line: rows of {name, ms, base_name, base_ms, goal, met}.
"""

import json
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client
from weasyprint import HTML

from peerpath.accounts.verification import mark_confirmed
from peerpath.certificates.issuing import issue_for_completion
from peerpath.certificates.models import Certificate
from peerpath.certificates.pdf import LocalOnlyFetcher, render_html
from peerpath.training.models import ProgrammePage


def timed(fn):
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


class Command(BaseCommand):
    help = "Benchmark issuing and downloading certificates against bare WeasyPrint renders."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15)

    def handle(self, *args, runs, **options):
        programme = ProgrammePage.objects.get(slug="bench-programme")
        sample = Certificate.objects.filter(programme=programme).exclude(pdf="").first()
        html = render_html(sample)

        def bare_render():
            # Bare WeasyPrint: the same HTML, the same fonts, nothing of PeerPath around it.
            HTML(string=html, url_fetcher=LocalOnlyFetcher(), base_url=None).write_pdf()

        User = get_user_model()
        bare, issued = [], []
        for _ in range(2):  # warm fonts and caches
            bare_render()
        for n in range(runs):
            # Alternate the two so drift in machine load hits both alike.
            bare.append(timed(bare_render))
            user = User.objects.create(
                username=f"bench-issue-{time.time_ns()}-{n}@peerpath.example",
                email=f"bench-issue-{n}@peerpath.example",
            )
            mark_confirmed(user)  # certificates are only issued to a confirmed address

            def issue_one(user=user):
                with transaction.atomic():
                    certificate, _ = issue_for_completion(user, programme)
                # The immediate backend renders on commit; the PDF must exist afterwards.
                assert Certificate.objects.get(pk=certificate.pk).pdf

            issued.append(timed(issue_one))

        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(sample.holder)
        download_url = sample.get_pdf_url()
        first = client.get(download_url)
        assert first.status_code == 200, first.status_code
        b"".join(first.streaming_content)
        downloads = [
            timed(lambda: b"".join(client.get(download_url).streaming_content))
            for _ in range(runs * 4)
        ]
        bare_ms = statistics.median(bare)
        issue_ms = statistics.median(issued)
        download_ms = statistics.median(downloads)
        rows = [
            {
                "name": "Issue a certificate (snapshot, render, store)",
                "ms": issue_ms,
                "base_name": "bare WeasyPrint render, same HTML",
                "base_ms": bare_ms,
                "goal": "≤ 1.25x",
                "met": "yes" if issue_ms <= 1.25 * bare_ms else "no",
            },
            {
                "name": "Download the stored PDF (holder)",
                "ms": download_ms,
                "base_name": "bare WeasyPrint render, same HTML",
                "base_ms": bare_ms,
                "goal": "≥ 50x faster (≤ 0.02x)",
                "met": "yes" if download_ms * 50 <= bare_ms else "no",
            },
        ]
        self.stdout.write(json.dumps({"rows": rows}))
