import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateStatus
from certificates.privacy import ERASED_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def test_export_includes_certificates_and_pdfs(user, certificate):
    from accounts.privacy import collect_personal_data

    data, files = collect_personal_data(user)
    (record,) = data["certificates"]
    assert record["number"] == certificate.number and record["status"] == "valid"
    names = [name for name, _content in files]
    assert f"certificates/{certificate.pdf_filename}" in names


def test_erasure_relinquishes_and_removes_what_identifies_the_holder(
    client, user, staff_user, certificate, django_capture_on_commit_callbacks
):
    from accounts.privacy import erase_account

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
