"""Manage the Open Badges 3.0 signing keys (peerpath/certificates/keys.py).

manage.py issuer_keys list
manage.py issuer_keys create [--algorithm ES256|Ed25519] [--if-missing]
manage.py issuer_keys rotate [--algorithm ...]
manage.py issuer_keys retire KID
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from peerpath.certificates import keys


class Command(BaseCommand):
    help = (
        "List, create, rotate or retire the keys that sign Open Badges 3.0 credentials. Keys are "
        "kept in PEERPATH_ISSUER_KEYS_DIR (or given in PEERPATH_ISSUER_KEYS), never in the database."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("list", help="Show the published keys; the last one signs.")
        for name, text in (
            ("create", "Make a key (the first, or an extra one that signs from now on)."),
            ("rotate", "Make a new signing key; older keys stay published."),
        ):
            sub = commands.add_parser(name, help=text)
            sub.add_argument(
                "--algorithm", choices=sorted(keys.ALGORITHMS), default=keys.DEFAULT_ALGORITHM
            )
            if name == "create":
                sub.add_argument(
                    "--if-missing",
                    action="store_true",
                    help="Do nothing when a key exists already (for set-up scripts).",
                )
        retire = commands.add_parser(
            "retire", help="Stop publishing a key: credentials it signed no longer verify."
        )
        retire.add_argument("kid")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error)) from error

    def _list(self, **options):
        published = keys.published_keys()
        if not published:
            self.stdout.write("No keys yet: run `manage.py issuer_keys create`.")
            return
        for key in published:
            role = "signs" if key is published[-1] else "published"
            self.stdout.write(f"{key.kid}  {key.alg:<8} created {key.created or '?'}  ({role})")

    def _create(self, algorithm, if_missing=False, **options):
        if if_missing and keys.published_keys():
            self.stdout.write(f"A signing key exists already ({keys.signing_key().kid}).")
            return
        key = keys.create_key(algorithm)
        self.stdout.write(
            self.style.SUCCESS(f"Created {key.alg} key {key.kid}; it signs from now on.")
        )

    def _rotate(self, algorithm, **options):
        older = keys.published_keys()
        key = keys.create_key(algorithm)
        self.stdout.write(self.style.SUCCESS(f"New signing key {key.kid} ({key.alg})."))
        if older:
            self.stdout.write(
                f"{len(older)} older key(s) stay published, so credentials signed with them "
                "still verify. Retire one only when nothing it signed should verify any more."
            )

    def _retire(self, kid, **options):
        path = keys.retire_key(kid)
        self.stdout.write(
            self.style.WARNING(
                f"Key {kid} is no longer published (its file is now {path}). Credentials it "
                "signed no longer verify."
            )
        )
