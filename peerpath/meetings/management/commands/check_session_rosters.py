from django.core.management.base import BaseCommand

from peerpath.meetings.roster import check_upcoming_rosters


class Command(BaseCommand):
    help = (
        "Check the roster of every upcoming session (a lead, everyone practising) and tell each "
        "organisation's staff about newly flagged sessions. Safe to run repeatedly: a session is "
        "reported when its problem first appears or changes."
    )

    def handle(self, *args, **options):
        flagged = check_upcoming_rosters()
        self.stdout.write(self.style.SUCCESS(f"Flagged {flagged} session roster(s)."))
