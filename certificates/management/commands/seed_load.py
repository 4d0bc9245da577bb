"""`manage.py seed_load --learners N`: bulk-create learners, progress and certificates."""

import time

from django.core.management.base import BaseCommand, CommandError

from certificates.seeding import seed_learners


class Command(BaseCommand):
    help = (
        "Bulk-create N realistic learners (enrolment, 12 modules' progress, about 60% "
        "certified) for benchmarks. No certificate PDFs are rendered. Needs a migrated database "
        "with a default site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, required=True)
        parser.add_argument("--seed", type=int, default=0, help="Random seed (repeatable data).")

    def handle(self, *args, learners, seed, **options):
        if learners < 1 or learners > 1_000_000:
            raise CommandError("--learners must be between 1 and 1,000,000.")
        started = time.perf_counter()
        summary = seed_learners(learners, seed=seed)
        self.stdout.write(
            f"Created {summary['learners']} learners, {summary['progress']} progress rows and "
            f"{summary['certificates']} certificates in {time.perf_counter() - started:.1f}s."
        )
