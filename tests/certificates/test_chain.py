"""Revoking and suspending act on the current certificate of a renewal/reissue chain, and every
lifecycle change decides on the row under its lock (issue 14, item 5)."""

import threading

import pytest
from django.urls import reverse

from peerpath.certificates import audit, issuing
from peerpath.certificates.models import Certificate, CertificateLogEntry, CertificateStatus
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(user, programme, issue, staff_user):
    """A certificate (first) and the reissue that replaced it (current)."""
    first = issue(user, programme)
    current = issuing.reissue(first, by=staff_user)
    return first, current


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def status_of(certificate):
    return Certificate.objects.with_status().get(pk=certificate.pk).status


def test_revoking_a_replaced_certificate_revokes_its_replacement(chain, staff_user):
    first, current = chain
    revoked = issuing.revoke(first, staff_user, "Falsified placement hours")
    assert revoked.pk == current.pk
    assert status_of(current) == CertificateStatus.REVOKED
    assert status_of(first) == CertificateStatus.SUPERSEDED
    assert not Certificate.objects.practising().filter(holder=first.holder_id).exists()
    entry = CertificateLogEntry.objects.get(action=audit.REVOKE)
    assert entry.certificate_id == current.pk


def test_revoking_follows_a_chain_of_several_links(chain, staff_user):
    first, current = chain
    newest = issuing.reissue(current, by=staff_user)
    assert issuing.revoke(first, staff_user, "Fraud").pk == newest.pk
    assert status_of(newest) == CertificateStatus.REVOKED


def test_suspending_a_replaced_certificate_suspends_its_replacement(chain, staff_user):
    first, current = chain
    suspended = issuing.suspend(first, staff_user, "Complaint under review")
    assert suspended.pk == current.pk
    assert status_of(current) == CertificateStatus.SUSPENDED
    assert status_of(first) == CertificateStatus.SUPERSEDED


def test_revoking_a_chain_whose_current_certificate_is_revoked_says_which(chain, staff_user):
    first, current = chain
    issuing.revoke(current, staff_user, "Fraud")
    with pytest.raises(issuing.IssuingError, match=f"{current.number}, which replaced this one"):
        issuing.revoke(first, staff_user, "Again")


def test_the_revoke_screen_of_a_replaced_certificate_names_the_one_it_revokes(admin_client, chain):
    first, current = chain
    url = reverse("certificates_admin:revoke", args=[first.pk])
    html = admin_client.get(url).content.decode()
    assert f"Certificate {first.number} has been replaced" in html
    assert f"Certificate {current.number} stops being valid immediately" in html
    response = admin_client.post(url, {"reason": "Fraud"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "certificates_admin:inspect", args=[current.pk]
    )
    assert f"Certificate {current.number} revoked." in response.content.decode()
    assert status_of(current) == CertificateStatus.REVOKED


def test_a_replaced_certificate_offers_suspension_of_its_replacement(admin_client, chain):
    first, current = chain
    html = admin_client.get(reverse("certificates_admin:inspect", args=[first.pk])).content
    assert reverse("certificates_admin:suspend", args=[first.pk]).encode() in html
    response = admin_client.post(
        reverse("certificates_admin:suspend", args=[first.pk]), {"reason": "Complaint"}
    )
    assert response.status_code == 302
    assert status_of(current) == CertificateStatus.SUSPENDED


def test_bulk_revoke_of_a_replaced_certificate_revokes_its_replacement_once(admin_client, chain):
    first, current = chain
    url = reverse("certificates_admin:bulk_revoke")
    html = admin_client.get(url, {"id": [first.pk, current.pk]}).content.decode()
    assert html.count(f"<li>{current.number}") == 1
    response = admin_client.post(url, {"certificates": [first.pk, current.pk], "reason": "Fraud"})
    assert response.status_code == 302
    assert status_of(current) == CertificateStatus.REVOKED
    assert status_of(first) == CertificateStatus.SUPERSEDED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("action", ["renew", "reissue"])
def test_a_replacement_racing_a_revocation_never_leaves_a_valid_certificate(
    user, programme, staff_user, monkeypatch, action
):
    """The replacement has checked the certificate and is about to insert its successor when the
    revocation commits: under the row lock it sees the revocation and refuses."""

    certificate, _created = issuing.issue_for_completion(user, programme)
    checked, revoked = threading.Event(), threading.Event()
    has_confirmed_email = issuing.has_confirmed_email

    def check_then_wait_for_the_revocation(holder):
        checked.set()
        revoked.wait(timeout=60)
        return has_confirmed_email(holder)

    monkeypatch.setattr(issuing, "has_confirmed_email", check_then_wait_for_the_revocation)

    def replace():
        return getattr(issuing, action)(Certificate.objects.get(pk=certificate.pk), by=staff_user)

    def revoke():
        checked.wait(timeout=60)
        try:
            return issuing.revoke(Certificate.objects.get(pk=certificate.pk), staff_user, "Fraud")
        finally:
            revoked.set()

    replaced, revocation = run_together(replace, revoke)
    assert not isinstance(revocation, Exception), revocation
    assert isinstance(replaced, issuing.IssuingError), replaced
    assert not Certificate.objects.practising().filter(holder=user, programme=programme).exists()
    assert Certificate.objects.filter(holder=user).count() == 1
