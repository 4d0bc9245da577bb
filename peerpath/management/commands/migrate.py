"""Django's `migrate`, which first moves a pre-namespacing database to PeerPath's new app labels.

See `peerpath/upgrade.py`. Everything else is Django's own command, unchanged.
"""

from django.core.management.commands.migrate import Command as MigrateCommand

from peerpath.upgrade import relabel_legacy_apps


class Command(MigrateCommand):
    def handle(self, *args, **options):
        relabel_legacy_apps(using=options["database"], stdout=self.stdout)
        return super().handle(*args, **options)
