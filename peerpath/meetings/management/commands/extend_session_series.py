from django.core.management.base import BaseCommand

from peerpath.meetings.scheduling import extend_all_series


class Command(BaseCommand):
    help = (
        "List the dates of every ongoing series up to PEERPATH_SESSION_HORIZON_DAYS ahead. Safe "
        "to run repeatedly: a date that already has a session is never made twice."
    )

    def handle(self, *args, **options):
        made = extend_all_series()
        self.stdout.write(self.style.SUCCESS(f"Made {made} session(s)."))
