import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from home.demo import DEMO_PASSWORD


def snapshot():
    """Row counts of every PeerPath and Wagtail page model: what load_demo must not duplicate."""
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {
            "home",
            "accounts",
            "training",
            "certificates",
            "workshops",
            "wagtailcore",
            "wagtaildocs",
            "auth",
        }:
            counts[model._meta.label] = model.objects.count()
    return counts


@pytest.mark.django_db
def test_load_demo_twice_leaves_the_same_content():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert snapshot() == first
    assert first["home.HomePage"] == 1


@pytest.mark.django_db
def test_demo_accounts_can_log_in(client):
    from home.demo import DEMO_USERS

    call_command("load_demo", stdout=open("/dev/null", "w"))
    for spec in DEMO_USERS.values():
        assert client.login(username=spec["email"], password=DEMO_PASSWORD)
        client.logout()


def _load():
    call_command("load_demo", stdout=io.StringIO())


def _requirements(programme):
    return [
        (r.stage, r.kind, r.minimum, r.session_role, r.category.name if r.category else None)
        for r in programme.requirements.select_related("category").order_by("sort_order")
    ]


@pytest.mark.django_db
def test_load_demo_configures_the_three_rules_programmes():
    from peerpath.training.models import ContinuingEducationCategory, ModulePage, ProgrammePage

    _load()
    programmes = {p.credential_code: p for p in ProgrammePage.objects.all()}
    assert set(programmes) == {"PSGF", "RPS", "PWF", "CPP"}
    assert set(ContinuingEducationCategory.objects.values_list("name", flat=True)) == {
        "Ethics",
        "Peer support and recovery",
        "Trauma-informed practice",
        "Other",
    }

    rps = programmes["RPS"]
    assert (rps.validity_months, rps.grace_period_days, rps.provisional_validity_months) == (
        24,
        60,
        None,
    )
    assert rps.estimated_hours == 75
    assert rps.modules().filter(is_required=True).last().title == "Final knowledge check"
    assert rps.current_code_of_conduct is not None
    assert _requirements(rps) == [
        ("renewal", "ce_hours", 36, "any", None),
        ("renewal", "ce_hours", 3, "any", "Ethics"),
        ("renewal", "ce_hours", 24, "any", "Peer support and recovery"),
    ]
    refresher = ModulePage.objects.get(ce_category__isnull=False)
    assert refresher.get_parent().pk == rps.pk
    assert not refresher.is_required and refresher.ce_category.name == "Ethics"

    pwf = programmes["PWF"]
    assert (pwf.validity_months, pwf.grace_period_days, pwf.check_window_days) == (12, 90, 365)
    checked = [module for module in pwf.modules() if module.has_check]
    assert checked and {module.check_attempt_limit for module in checked} == {3}
    assert _requirements(pwf) == [
        ("renewal", "ce_hours", 12, "any", None),
        ("renewal", "ce_hours", 1, "any", "Ethics"),
        ("renewal", "sessions", 3, "led", None),
    ]

    cpp = programmes["CPP"]
    assert (cpp.provisional_validity_months, cpp.validity_months) == (6, 24)
    assert _requirements(cpp) == [
        ("full", "supervised_hours", 250, "any", None),
        ("full", "sessions", 3, "co_facilitated", None),
        ("renewal", "ce_hours", 20, "any", None),
        ("renewal", "ce_hours", 3, "any", "Ethics"),
    ]
    for code in ("RPS", "PWF", "CPP"):
        modules = list(programmes[code].modules())
        assert 3 <= len([m for m in modules if m.is_required]) <= 5, code
        assert all(3 <= len(m.check_questions) <= 5 for m in modules if m.has_check), code


@pytest.mark.django_db
def test_load_demo_puts_the_rules_learners_at_their_stages():
    from peerpath.training.models import CheckAttempt, Enrolment

    _load()
    enrolments = {
        e.user.email: e
        for e in Enrolment.objects.select_related("user", "programme").filter(
            user__email__in=[
                "rps.learner@peerpath.example",
                "pwf.learner@peerpath.example",
                "pwf.restart@peerpath.example",
            ]
        )
    }
    part_way = enrolments["rps.learner@peerpath.example"]
    assert part_way.programme.credential_code == "RPS"
    assert (part_way.required_done, part_way.completed_at) == (2, None)

    failed = enrolments["pwf.learner@peerpath.example"]
    attempts = CheckAttempt.objects.filter(user=failed.user)
    assert [(a.passed, a.number) for a in attempts.order_by("pk")] == [(True, 1), (False, 1)]
    assert attempts.get(passed=False).module.check_attempt_limit == 3

    closed = enrolments["pwf.restart@peerpath.example"]
    window = datetime.timedelta(days=closed.programme.check_window_days)
    assert closed.enrolled_at + window < timezone.now()
    assert closed.completed_at is None and closed.required_done < closed.required_total


@pytest.mark.django_db
def test_every_demo_person_can_log_in_and_see_their_pages(client):
    from wagtail.models import Page

    from home.demo_rules import HOLDERS, LEARNERS, SUPERVISOR
    from peerpath.training.models import ModulePage, ProgrammePage, TrainingIndexPage

    _load()
    for page in Page.objects.type(TrainingIndexPage, ProgrammePage, ModulePage).live():
        assert client.get(page.url).status_code == 200, page.url
    people = [person for person, *_rest in LEARNERS] + [h["person"] for h in HOLDERS]
    for person in [*people, SUPERVISOR]:
        assert client.login(username=person["email"], password=DEMO_PASSWORD), person
        assert client.get(reverse("training:my_training")).status_code == 200, person
        client.logout()
    client.login(username=SUPERVISOR["email"], password=DEMO_PASSWORD)
    assert client.get(reverse("training:supervision")).status_code == 200
