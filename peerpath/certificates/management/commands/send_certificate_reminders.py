from django.core.management.base import BaseCommand

from peerpath.certificates.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "E-mail holders 60, 30 and 7 days before their certificate expires. Each reminder is "
        "sent once, so it is safe to run every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the reminders due without sending them."
        )

    def handle(self, *args, dry_run=False, **options):
        reminded = send_due_reminders(dry_run=dry_run)
        verb = "Due" if dry_run else "Sent"
        for certificate, days in reminded:
            self.stdout.write(f"  {verb}: {certificate.number} ({days}-day reminder)")
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(reminded)} reminder(s)."))
