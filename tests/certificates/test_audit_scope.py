"""Certificates' audit entries in Wagtail's Site history report follow the organisation scope, and
carry no holder name (issue 14, item 4)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from peerpath.certificates import audit, issuing
from peerpath.certificates.models import Certificate, CertificateLogEntry
from peerpath.organisations.models import OrganisationMembership
from tests.site_history import report_runs_here
from tests.workshops.factories import OrganisationFactory

from .factories import CertificateFactory
from .test_admin_reports import org_staff

pytestmark = pytest.mark.django_db

SITE_HISTORY = "wagtailadmin_reports:site_history"


@pytest.fixture
def riverside_and_northside(staff_user):
    """A suspended certificate of a Riverside learner and a revoked one of a Northside learner."""
    riverside = OrganisationFactory(name="Riverside Peer Support", slug="riverside")
    northside = OrganisationFactory(name="Northside Collective", slug="northside")
    ours = CertificateFactory(number="RIVER-2026-000001")
    theirs = CertificateFactory(number="NORTH-2026-000001")
    OrganisationMembership.objects.create(user=ours.holder, organisation=riverside)
    OrganisationMembership.objects.create(user=theirs.holder, organisation=northside)
    issuing.suspend(ours, staff_user, "Complaint under review")
    issuing.revoke(theirs, staff_user, "Misconduct")
    return riverside, ours, theirs


@report_runs_here
def test_riverside_staff_see_their_learners_certificate_entries_but_not_northsides(
    client, riverside_and_northside
):
    riverside, ours, theirs = riverside_and_northside
    client.force_login(org_staff(riverside))
    response = client.get(reverse(SITE_HISTORY))
    assert response.status_code == 200
    html = response.content.decode()
    assert ours.number in html and "Suspended" in html
    assert theirs.number not in html
    assert theirs.holder_name not in html and "Revoked" not in html


@report_runs_here
def test_the_site_history_export_is_scoped_too(client, riverside_and_northside):
    riverside, ours, theirs = riverside_and_northside
    client.force_login(org_staff(riverside))
    response = client.get(reverse(SITE_HISTORY), {"export": "csv"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert ours.number.encode() in content
    assert theirs.number.encode() not in content


def test_superusers_see_every_certificate_entry(staff_user, riverside_and_northside):
    _riverside, ours, theirs = riverside_and_northside
    certificates = set(
        CertificateLogEntry.objects.viewable_by_user(staff_user).values_list(
            "certificate_id", flat=True
        )
    )
    assert certificates == {ours.pk, theirs.pk}


def test_audit_entries_are_labelled_without_the_holders_name(user, programme, issue):
    certificate = issue(user, programme)
    assert certificate.holder_name not in str(certificate)
    (entry,) = CertificateLogEntry.objects.filter(certificate=certificate)
    assert certificate.holder_name not in entry.label
    assert certificate.number in entry.label


def test_existing_entries_move_out_of_the_generic_log_and_lose_the_name():
    migration = importlib.import_module(
        "peerpath.certificates.migrations.0005_move_certificate_log_entries"
    )
    certificate = CertificateFactory(holder_name="Jamie Okafor")
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Certificate),
        object_id=str(certificate.pk),
        label=f"{certificate.number} — Jamie Okafor, {certificate.credential_name}",
        action=audit.REVOKE,
        timestamp=timezone.now(),
        data={"reason": "Misconduct"},
    )
    migration.forwards(apps, None)
    assert not ModelLogEntry.objects.filter(object_id=str(certificate.pk)).exists()
    entry = CertificateLogEntry.objects.get(certificate=certificate)
    assert entry.action == audit.REVOKE and entry.data == {"reason": "Misconduct"}
    assert entry.label == f"{certificate.number} — {certificate.credential_name}"
