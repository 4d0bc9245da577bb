import pytest
from django.urls import reverse

from peerpath.accounts.privacy import collect_personal_data, erase_account
from peerpath.certificates import audit, issuing, render
from peerpath.certificates.models import Certificate, CertificateLogEntry, CertificateStatus
from peerpath.certificates.privacy import ERASED_NAME, ERASED_REASON

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def test_export_includes_certificates_and_pdfs(user, certificate):

    data, files = collect_personal_data(user)
    (record,) = data["certificates"]
    assert record["number"] == certificate.number and record["status"] == "valid"
    names = [name for name, _content in files]
    assert f"certificates/{certificate.pdf_filename}" in names


def test_erasure_relinquishes_and_removes_what_identifies_the_holder(
    client, user, staff_user, certificate, django_capture_on_commit_callbacks
):

    storage, name = certificate.pdf.storage, certificate.pdf.name
    holder_name = certificate.holder_name
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user, erased_by=staff_user)
    erased = Certificate.objects.with_status().get(pk=certificate.pk)
    assert erased.number == certificate.number  # the row and its number stay
    assert erased.status == CertificateStatus.RELINQUISHED
    assert erased.holder is None and erased.holder_name == ERASED_NAME
    assert not erased.recipient_hash and not erased.pdf
    assert not storage.exists(name)
    response = client.get(reverse("certificates:verify", args=[certificate.display_code]))
    assert b"No longer held" in response.content
    assert holder_name.encode() not in response.content
    assertion = client.get(reverse("certificates:assertion", args=[certificate.display_code]))
    assert assertion.status_code == 410


@pytest.fixture
def decided(user, programme, staff_user):
    """A certificate that was suspended, reinstated and finally revoked, each with a reason."""
    certificate = CertificateFactory(holder=user, programme=programme)
    issuing.suspend(certificate, staff_user, "Complaint from a participant")
    issuing.reinstate(certificate, staff_user, "Complaint not upheld")
    issuing.revoke(certificate, staff_user, "Second complaint upheld")
    return certificate


def test_export_lists_suspensions_and_revocations_with_their_reasons(user, decided):

    data, _files = collect_personal_data(user)
    (record,) = data["certificates"]
    assert record["status"] == "revoked"
    assert record["revoked_at"] is not None
    assert record["revocation_reason"] == "Second complaint upheld"
    assert [(event["action"], event["reason"]) for event in record["history"]] == [
        ("Suspended", "Complaint from a participant"),
        ("Reinstated", "Complaint not upheld"),
        ("Revoked", "Second complaint upheld"),
    ]


def test_erasure_removes_the_reasons_staff_gave_from_the_certificate_and_its_audit_trail(
    user, staff_user, decided, django_capture_on_commit_callbacks
):

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user, erased_by=staff_user)
    erased = Certificate.objects.get(pk=decided.pk)
    assert erased.revoked_at is not None  # the decision stays
    assert erased.revocation_reason == ERASED_REASON
    entries = CertificateLogEntry.objects.filter(certificate=decided).order_by("pk")
    assert [(entry.action, entry.data.get("reason")) for entry in entries] == [
        (audit.SUSPEND, None),
        (audit.REINSTATE, None),
        (audit.REVOKE, None),
        (audit.RELINQUISH, "The holder erased their account."),
    ]


def test_a_render_running_while_the_account_is_erased_stores_no_pdf_with_the_old_name(
    user, staff_user, programme, monkeypatch, django_capture_on_commit_callbacks
):

    certificate = CertificateFactory(holder=user, programme=programme)
    storage = Certificate._meta.get_field("pdf").storage
    folder = f"certificates/{certificate.issued_on.year}"
    files_before = set(storage.listdir(folder)[1]) if storage.exists(folder) else set()
    render_pdf = render.render_pdf

    def erased_while_rendering(snapshot):
        with django_capture_on_commit_callbacks(execute=True):
            erase_account(user, erased_by=staff_user)
        return render_pdf(snapshot)

    monkeypatch.setattr(render, "render_pdf", erased_while_rendering)
    render.store_pdf(certificate)
    assert Certificate.objects.get(pk=certificate.pk).pdf == ""
    files_after = set(storage.listdir(folder)[1]) if storage.exists(folder) else set()
    assert files_after == files_before
