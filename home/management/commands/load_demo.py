from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from home.demo import DEMO_PASSWORD, DEMO_USERS

# Each app may provide `<app>.demo.load(stdout)` (and more modules named here); they run in this
# order because later apps build on earlier ones (workshops unlock with certificates, which need
# training programmes; the rules programmes' holders are issued by certificates.demo).
DEMO_STEPS = [
    ("home", "home.demo"),
    ("training", "training.demo"),
    ("training", "training.demo_rules"),
    ("certificates", "certificates.demo"),
    ("workshops", "workshops.demo"),
]


class Command(BaseCommand):
    help = "Create or refresh the demo content and demo accounts. Safe to run repeatedly."

    def handle(self, *args, **options):
        for label, name in DEMO_STEPS:
            if not apps.is_installed(label):
                continue
            try:
                module = import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            module.load(stdout=self.stdout)
            self.stdout.write(f"  {name}: demo content ready")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for key, spec in DEMO_USERS.items():
            self.stdout.write(f"  {key:<12} {spec['email']}")
        self.stdout.write(
            "Certification-rules programmes (RPS, PWF, CPP): the learners and holders listed above "
            "use the same password; training/demo_rules.py says what each one shows."
        )
