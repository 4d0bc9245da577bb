import pytest
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.utils import timezone

from home import demo_certificates as demo
from home.demo import DEMO_PASSWORD
from peerpath.certificates.issuing import is_renewable
from peerpath.certificates.models import Certificate, CertificateStatus
from peerpath.training.models import (
    ContinuingEducationActivity,
    ModuleProgress,
    SupervisedPracticeEntry,
    SupervisorAssignment,
    minutes_to_hours,
)

pytestmark = pytest.mark.django_db


def test_demo_issues_valid_revoked_and_expired_examples(programme):
    valid, revoked, expired = demo.load()
    statuses = {
        c.holder.username: c.status
        for c in Certificate.objects.with_status().select_related("holder")
    }
    assert statuses == {
        "facilitator@peerpath.example": CertificateStatus.VALID,
        "revoked.example@peerpath.example": CertificateStatus.REVOKED,
        "expired.example@peerpath.example": CertificateStatus.EXPIRED,
    }
    assert valid.holder_name == "Jamie Okafor"
    assert authenticate(username="facilitator@peerpath.example", password=DEMO_PASSWORD)


def test_demo_is_idempotent(programme):
    first = [c.pk for c in demo.load()]
    second = [c.pk for c in demo.load()]
    assert first == second
    assert Certificate.objects.count() == 3


def test_demo_without_the_programme_is_skipped(home_page, capsys):
    import io

    out = io.StringIO()
    assert demo.load(out) == []
    assert "no PSGF programme" in out.getvalue()
    assert not Certificate.objects.exists()


# The stage each rules holder is at (home/demo_rules/ documents them).
RULES_HOLDER_STATUSES = {
    "rps.holder@peerpath.example": [CertificateStatus.VALID],
    "rps.renewal@peerpath.example": [CertificateStatus.VALID],
    "rps.lapsed@peerpath.example": [CertificateStatus.LAPSED],
    "pwf.holder@peerpath.example": [CertificateStatus.VALID],
    "pwf.suspended@peerpath.example": [CertificateStatus.SUSPENDED],
    "pwf.expired@peerpath.example": [CertificateStatus.EXPIRED],
    "cpp.provisional@peerpath.example": [CertificateStatus.PROVISIONAL],
    "cpp.full@peerpath.example": [CertificateStatus.SUPERSEDED, CertificateStatus.VALID],
}


@pytest.fixture
def rules_programmes(home_page):
    from home import demo_rules

    return demo_rules.load()


def _statuses():
    statuses = {}
    for certificate in (
        Certificate.objects.with_status().select_related("holder").order_by("holder", "cycle")
    ):
        statuses.setdefault(certificate.holder.email, []).append(certificate.status)
    return statuses


def test_rules_holders_are_at_their_documented_stages(rules_programmes):
    holders = demo.load_rules_holders()
    assert _statuses() == RULES_HOLDER_STATUSES
    assert set(holders) == set(RULES_HOLDER_STATUSES)
    suspended = holders["pwf.suspended@peerpath.example"]
    assert suspended.suspension_reason == demo.SUSPENSION_REASON
    full = holders["cpp.full@peerpath.example"]
    assert not full.is_provisional and full.supersedes.is_provisional
    assert holders["rps.holder@peerpath.example"].hours == 75
    assert authenticate(username="cpp.full@peerpath.example", password=DEMO_PASSWORD)


def test_rules_holders_load_once(rules_programmes):
    first = {email: c.pk for email, c in demo.load_rules_holders().items()}
    rows = (Certificate.objects.count(), ContinuingEducationActivity.objects.count())
    second = {email: c.pk for email, c in demo.load_rules_holders().items()}
    assert first == second
    assert (Certificate.objects.count(), ContinuingEducationActivity.objects.count()) == rows


def test_the_provisional_holder_has_practice_in_every_state(rules_programmes):
    demo.load_rules_holders()
    entries = SupervisedPracticeEntry.objects.filter(
        learner__email="cpp.provisional@peerpath.example"
    )
    Status = SupervisedPracticeEntry.Status
    assert entries.filter(status=Status.SIGNED_OFF).aggregate(h=Sum("hours"))["h"] == 60
    assert entries.filter(status=Status.PENDING).count() == 1
    assert entries.get(status=Status.SENT_BACK).comment
    assert SupervisorAssignment.objects.filter(
        supervisor__email="supervisor@peerpath.example",
        learner__email="cpp.provisional@peerpath.example",
    ).exists()
    full = SupervisedPracticeEntry.objects.filter(learner__email="cpp.full@peerpath.example")
    assert full.filter(status=Status.SIGNED_OFF).aggregate(h=Sum("hours"))["h"] == 250


def _ce_hours_since(user, since):
    """Continuing-education hours by category since `since`: activities plus refresher modules."""
    hours = {}
    for activity in ContinuingEducationActivity.objects.filter(learner=user, date__gte=since):
        hours[activity.category.name] = hours.get(activity.category.name, 0) + activity.hours
    for row in ModuleProgress.objects.filter(
        user=user, completed_at__date__gte=since, module__ce_category__isnull=False
    ).select_related("module__ce_category"):
        name = row.module.ce_category.name
        hours[name] = hours.get(name, 0) + minutes_to_hours(row.module.estimated_minutes)
    return hours


def test_the_renewing_holder_has_met_the_renewal_requirements_and_may_renew(rules_programmes):
    holders = demo.load_rules_holders()
    ready = holders["rps.renewal@peerpath.example"]
    hours = _ce_hours_since(ready.holder, timezone.localdate(ready.issued_at))
    assert sum(hours.values()) >= 36
    assert hours["Ethics"] >= 3 and hours["Peer support and recovery"] >= 24
    assert is_renewable(ready)
    part_way = holders["rps.holder@peerpath.example"]
    assert (
        sum(_ce_hours_since(part_way.holder, timezone.localdate(part_way.issued_at)).values()) < 36
    )
    assert not is_renewable(part_way)
