from django.core.management.base import BaseCommand, CommandError

from peerpath.certificates.catch_up import issue_owed, render_missing


class Command(BaseCommand):
    help = (
        "Issue the certificates owed to completed enrolments and render the PDFs that are "
        "missing (after an error while issuing or rendering). Idempotent, and safe to run at any "
        "time and beside itself: schedule it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help="Render at most this many missing PDFs in this run.",
        )

    def handle(self, *args, limit=None, **options):
        if limit is not None and limit < 0:
            raise CommandError("--limit must be 0 or more.")
        issued, issue_failures = issue_owed()
        for certificate in issued:
            self.stdout.write(f"  Issued: {certificate.number}")
        rendered, render_failures = render_missing(limit)
        for certificate in rendered:
            self.stdout.write(f"  Rendered: {certificate.number}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Issued {len(issued)} certificate(s); rendered {len(rendered)} PDF(s)."
            )
        )
        failures = issue_failures + render_failures
        if failures:
            raise CommandError(f"{failures} failed (see the log); the next run tries again.")
