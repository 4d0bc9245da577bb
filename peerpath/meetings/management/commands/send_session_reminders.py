from django.core.management.base import BaseCommand

from peerpath.meetings.reminders import send_session_reminders


class Command(BaseCommand):
    help = (
        "Remind everyone with a confirmed place of their session, once, in the hours before it "
        "(PEERPATH_SESSION_REMINDER_HOURS). Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        sent = send_session_reminders()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} session reminder(s)."))
