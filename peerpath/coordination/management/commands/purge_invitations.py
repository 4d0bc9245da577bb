"""Delete invitations settled (accepted or withdrawn) or expired more than
`PEERPATH_INVITATION_RETENTION_DAYS` (90 by default) ago: each holds a name and an e-mail address
that nobody needs once it can no longer be used. Memberships made by accepting stay. Run daily."""

from django.core.management.base import BaseCommand

from peerpath.coordination import invitations


class Command(BaseCommand):
    help = (
        "Delete invitations accepted, withdrawn or expired longer ago than "
        "PEERPATH_INVITATION_RETENTION_DAYS (90 by default)."
    )

    def handle(self, *args, **options):
        deleted = invitations.purge()
        self.stdout.write(f"Deleted {deleted} old invitation(s).")
