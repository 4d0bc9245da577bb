import logging

import pytest
from django.apps import apps
from django.core.checks import run_checks
from django.urls import reverse

from peerpath.certificates import pdf
from peerpath.certificates.models import Certificate, CertificateStatus

pytestmark = pytest.mark.django_db


def test_missing_harfbuzz_subset_is_one_clear_warning_at_startup(monkeypatch, caplog):
    monkeypatch.setattr(pdf, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="peerpath.certificates.apps"):
        apps.get_app_config("peerpath_certificates").ready()
    warnings = [r for r in caplog.records if "libharfbuzz-subset0" in r.getMessage()]
    assert len(warnings) == 1


def test_relative_base_url_fails_the_system_check(settings):
    settings.WAGTAILADMIN_BASE_URL = "/"
    assert "peerpath_certificates.E001" in {error.id for error in run_checks()}


def test_deleting_the_holder_keeps_the_certificate_verifiable_without_the_name(
    client, user, programme, issue
):
    certificate = issue(user, programme)
    name = certificate.holder_name
    user.delete()
    certificate = Certificate.objects.with_status().get(pk=certificate.pk)
    assert certificate.holder is None
    assert certificate.status == CertificateStatus.RELINQUISHED
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    assert b"No longer held" in response.content and name.encode() not in response.content


def test_template_snippet_editor_has_a_live_preview(client, staff_user):
    from peerpath.certificates.models import CertificateTemplate

    template = CertificateTemplate.default()
    client.force_login(staff_user)
    edit_url = reverse(
        "wagtailsnippets_peerpath_certificates_certificatetemplate:edit", args=[template.pk]
    )
    response = client.get(edit_url)
    assert response.status_code == 200
    preview_url = reverse(
        "wagtailsnippets_peerpath_certificates_certificatetemplate:preview_on_edit",
        args=[template.pk],
    )
    assert preview_url.encode() in response.content


def test_template_preview_renders_the_edited_design_as_pdf(client, staff_user):
    from peerpath.certificates.models import CertificateTemplate

    template = CertificateTemplate.default()
    client.force_login(staff_user)
    url = reverse(
        "wagtailsnippets_peerpath_certificates_certificatetemplate:preview_on_edit",
        args=[template.pk],
    )
    data = {
        "name": template.name,
        "is_default": "on",
        "heading": "Certificate of Achievement",
        "wording": "has completed {programme} and is awarded the credential",
        "signatory_name": "Dr Ada Mensah",
        "signatory_role": "Training lead",
        "accent_colour": "#663399",
        "page_size": "A4",
        "orientation": "portrait",
    }
    assert client.post(url, data).json()["is_valid"]
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Certificate of Achievement" in text and "Dr Ada Mensah" in text
    template.refresh_from_db()
    assert template.heading != "Certificate of Achievement"  # previewing saves nothing
