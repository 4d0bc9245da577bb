from django.core.management.base import BaseCommand

from peerpath.meetings.privacy import anonymise_past_bookings


class Command(BaseCommand):
    help = (
        "Remove participants' names, contact details and access needs from bookings of sessions "
        "that ended more than PEERPATH_PARTICIPANT_RETENTION_DAYS ago, keeping the counts. Safe "
        "to run repeatedly."
    )

    def handle(self, *args, **options):
        count = anonymise_past_bookings()
        self.stdout.write(self.style.SUCCESS(f"Anonymised {count} past booking(s)."))
