"""A provisional certificate becomes full when the supervisor's sign-offs meet the programme's
requirements: automatically, once, with no gap."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from freezegun import freeze_time

from peerpath.certificates import audit
from peerpath.certificates.models import Certificate, CertificateLogEntry, CertificateStatus
from peerpath.training import practice
from peerpath.training.models import Enrolment, ProgrammeRequirement, SupervisorAssignment
from tests.factories import UserFactory

from .factories import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def staged(home_page):
    programme = make_programme(home_page, code="STGD", provisional_validity_months=6)
    ProgrammeRequirement.objects.create(
        programme=programme, kind="supervised_hours", minimum=Decimal("5")
    )
    return programme


@pytest.fixture
def supervisor(user, staged):
    Enrolment.objects.create(user=user, programme=staged)
    supervisor = UserFactory()
    SupervisorAssignment.objects.create(supervisor=supervisor, learner=user)
    return supervisor


@pytest.fixture
def sign_off(user, staged, supervisor, django_capture_on_commit_callbacks):
    def _sign_off(hours):
        entry = practice.log_entry(
            user,
            staged,
            date=timezone.localdate() - datetime.timedelta(days=1),
            hours=Decimal(hours),
            description="Supervised group session",
        )
        with django_capture_on_commit_callbacks(execute=True):
            practice.sign_off(entry, supervisor)

    return _sign_off


def test_sign_off_that_meets_the_requirements_makes_the_certificate_full(
    user, staged, issue, sign_off
):
    provisional = issue(user, staged)
    assert provisional.is_provisional
    sign_off("3")
    assert Certificate.objects.get(pk=provisional.pk).status == CertificateStatus.PROVISIONAL
    sign_off("2")
    full = Certificate.objects.get(supersedes=provisional)
    assert full.status == CertificateStatus.VALID and not full.is_provisional
    assert full.issued_on == timezone.localdate()
    assert Certificate.objects.get(pk=provisional.pk).status == CertificateStatus.SUPERSEDED
    confirm = CertificateLogEntry.objects.get(certificate=provisional, action=audit.CONFIRM)
    assert confirm.user is None
    assert confirm.data["reason"] == "The requirements for full certification were met."


def test_requirements_met_while_training_earn_a_full_certificate_at_once(
    user, staged, issue, sign_off
):
    sign_off("5")
    certificate = issue(user, staged)
    assert not certificate.is_provisional
    assert certificate.status == CertificateStatus.VALID


def test_a_provisional_certificate_that_ended_is_not_made_full(user, staged, issue, sign_off):
    with freeze_time("2025-01-10 10:00"):
        provisional = issue(user, staged)
    sign_off("5")
    assert not Certificate.objects.filter(supersedes=provisional).exists()
    assert Certificate.objects.get(pk=provisional.pk).status == CertificateStatus.EXPIRED


def test_a_suspended_provisional_certificate_waits(user, staged, issue, sign_off, staff_user):
    from peerpath.certificates import issuing

    provisional = issue(user, staged)
    issuing.suspend(provisional, staff_user, "Complaint under review")
    sign_off("5")
    assert not Certificate.objects.filter(supersedes=provisional).exists()
