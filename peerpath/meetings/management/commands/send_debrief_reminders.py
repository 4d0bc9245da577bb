from django.core.management.base import BaseCommand

from peerpath.meetings.debriefs import send_debrief_reminders


class Command(BaseCommand):
    help = (
        "Remind each lead facilitator whose session ended more than a day ago (within the last "
        "two weeks) and has no debrief yet, once. Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        sent = send_debrief_reminders()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} debrief reminder(s)."))
