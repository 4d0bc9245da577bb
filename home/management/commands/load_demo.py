from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from home.demo import DEMO_PASSWORD, DEMO_USERS

# Each app may provide `<app>.demo.load(stdout)`; they run in this order because later apps
# build on earlier ones (workshops unlock with certificates, which need training programmes).
DEMO_APPS = ["home", "training", "certificates", "workshops"]


class Command(BaseCommand):
    help = "Create or refresh the demo content and demo accounts. Safe to run repeatedly."

    def handle(self, *args, **options):
        for label in DEMO_APPS:
            if not apps.is_installed(label):
                continue
            try:
                module = import_module(f"{label}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{label}.demo":
                    raise
                continue
            module.load(stdout=self.stdout)
            self.stdout.write(f"  {label}: demo content ready")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for key, spec in DEMO_USERS.items():
            self.stdout.write(f"  {key:<12} {spec['email']}")
