from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from home.demo import DEMO_PASSWORD, DEMO_USERS

# The demo site's content, one module per part; they run in this order because later parts build on
# earlier ones (workshops unlock with certificates, which need training programmes; the rules
# programmes' holders are issued by the certificates part). A part runs only when the app it fills
# is installed.
DEMO_STEPS = [
    ("home", "home.demo"),
    ("peerpath_training", "home.demo_training"),
    ("peerpath_training", "home.demo_rules"),
    ("peerpath_certificates", "home.demo_certificates"),
    ("peerpath_workshops", "home.demo_workshops"),
    ("peerpath_meetings", "home.demo_meetings"),
    ("peerpath_meetings", "home.demo_quality"),
    ("peerpath_coordination", "home.demo_coordination"),
]


class Command(BaseCommand):
    help = "Create or refresh the demo content and demo accounts. Safe to run repeatedly."

    def handle(self, *args, **options):
        for label, name in DEMO_STEPS:
            if not any(config.label == label for config in apps.get_app_configs()):
                continue
            import_module(name).load(stdout=self.stdout)
            self.stdout.write(f"  {name}: demo content ready")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for key, spec in DEMO_USERS.items():
            self.stdout.write(f"  {key:<12} {spec['email']}")
        self.stdout.write(
            "Certification-rules programmes (RPS, PWF, CPP): the learners and holders listed above "
            "use the same password; home/demo_rules says what each one shows."
        )
