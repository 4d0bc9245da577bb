"""A replaced certificate says so on its own row (`superseded_at`), so its status needs no look at
its successor: issuing sets it where it links the replacement, migration 0006 fills it for the
chains that existed before, and the status, the reports and the dashboard read only the row."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from peerpath.certificates import issuing
from peerpath.certificates.models import Certificate, CertificateStatus
from peerpath.certificates.reports import LearnerState, dashboard_counts, in_state
from peerpath.certificates.status import status_case, status_conditions
from peerpath.training.models import Enrolment

from .factories import CertificateFactory, certificate_in_status

pytestmark = pytest.mark.django_db

fill = importlib.import_module("peerpath.certificates.migrations.0006_certificate_superseded_at")


def test_renewal_marks_the_replaced_certificate_at_the_successors_time_of_issue(
    user, staff_user, programme, issue
):
    old = issue(user, programme)
    new = issuing.renew(old, by=staff_user)
    old.refresh_from_db()
    assert old.superseded_at == new.issued_at
    assert old.status == CertificateStatus.SUPERSEDED
    assert old.status_date == timezone.localdate(new.issued_at)
    assert Certificate.objects.get(pk=new.pk).superseded_at is None


def test_the_migration_fills_superseded_at_from_existing_chains(user, programme):
    old = CertificateFactory(holder=user, programme=programme)
    issued_at = timezone.now() - datetime.timedelta(days=3)
    CertificateFactory(
        holder=user, programme=programme, cycle=2, supersedes=old, issued_at=issued_at
    )
    untouched = CertificateFactory(holder=user, programme=None)
    Certificate.objects.update(superseded_at=None)  # as before the migration

    fill.fill_superseded_at(apps, None)

    assert Certificate.objects.get(pk=old.pk).superseded_at == issued_at
    assert Certificate.objects.filter(superseded_at__isnull=False).count() == 1
    assert Certificate.objects.get(pk=untouched.pk).superseded_at is None


@pytest.mark.parametrize("status", [s.value for s in CertificateStatus])
def test_each_status_has_exactly_one_condition_and_the_case_agrees(user, programme, status):
    certificate = certificate_in_status(user, programme, status)
    matching = [
        each
        for each, condition in status_conditions().items()
        if Certificate.objects.filter(condition, pk=certificate.pk).exists()
    ]
    assert matching == [CertificateStatus(status)]
    annotated = Certificate.objects.annotate(s=status_case()).get(pk=certificate.pk).s
    assert annotated == status


def test_reports_and_dashboard_read_the_same_rule(user, programme, staff_user):
    Enrolment.objects.create(user=user, programme=programme)
    certificate_in_status(user, programme, "lapsed")
    assert dashboard_counts(staff_user)["lapsed"] == 1
    assert in_state(Enrolment.objects.all(), LearnerState.LAPSED).count() == 1
