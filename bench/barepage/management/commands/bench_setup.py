"""Creates what the benchmarks load: a 1,500-word module, the same body on a bare Wagtail page,
an enrolled learner with a session, a certificate to verify, and 2,000 upcoming sessions from 50
organisations for the group finder. Prints one JSON line."""

import json
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from bench.barepage.models import BarePage
from bench.seeding_sessions import seed_sessions
from peerpath.accounts.verification import mark_confirmed
from peerpath.certificates.issuing import issue_for_completion
from peerpath.training import progress
from peerpath.training.models import ModulePage, ProgrammePage, TrainingIndexPage

WORDS = (
    "peer support group facilitator listen share experience boundary safety recovery hope "
    "connection community trust respect signpost wellbeing empathy choice voice lived stigma "
    "inclusion agreement confidential session reflect coping strategy mentoring workshop"
).split()


def body_html(words=1500, seed=7):
    rng = random.Random(seed)
    paragraphs, left = [], words
    while left > 0:
        size = min(left, 120)
        text = " ".join(rng.choice(WORDS) for _ in range(size))
        paragraphs.append(f"<p>{text.capitalize()}.</p>")
        left -= size
    return "".join(paragraphs)


def child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


class Command(BaseCommand):
    help = "Set up the pages, learner and certificate the benchmarks use (idempotent)."

    def handle(self, *args, **options):
        root = Site.objects.get(is_default_site=True).root_page
        html = body_html()
        bare = child(root, BarePage, "bench-bare", title="Bare Wagtail page", body=html)
        index = TrainingIndexPage.objects.first() or child(
            root, TrainingIndexPage, "bench-training", title="Training"
        )
        programme = child(
            index,
            ProgrammePage,
            "bench-programme",
            title="Benchmark programme",
            credential_name="Benchmark Facilitator",
            credential_code="BENCH",
            summary="A programme for the benchmarks.",
            code_of_conduct="<p>Be kind.</p>",
            validity_months=24,
        )
        module = child(
            programme,
            ModulePage,
            "bench-module",
            title="Benchmark module",
            summary="The module the benchmark loads.",
            body=[("text", html)],
        )
        User = get_user_model()
        learner, _ = User.objects.get_or_create(
            username="bench@peerpath.example", defaults={"email": "bench@peerpath.example"}
        )
        progress.enrol(learner, programme)
        progress.record_module_started(learner, module)
        client = Client()
        client.force_login(learner)
        cookie = f"sessionid={client.cookies['sessionid'].value}"

        holder, _ = User.objects.get_or_create(
            username="bench-holder@peerpath.example",
            defaults={"email": "bench-holder@peerpath.example", "first_name": "Bench"},
        )
        mark_confirmed(holder)  # certificates are only issued to a confirmed address
        certificate, _ = issue_for_completion(holder, ProgrammePage.objects.get(pk=programme.pk))
        sessions = seed_sessions(2000, organisations=50)
        self.stdout.write(
            json.dumps(
                {
                    "bare_url": bare.url,
                    "module_url": module.url,
                    "cookie": cookie,
                    "verify_url": certificate.get_absolute_url(),
                    "programme_id": programme.pk,
                    "certificate_id": certificate.pk,
                    "finder_url": reverse("meetings:finder"),
                    "finder_sessions": sessions["sessions"],
                }
            )
        )
