import hashlib
import io
import re

import pytest
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from peerpath.certificates import pdf, render
from peerpath.certificates.models import Certificate, CertificateTemplate
from peerpath.certificates.tasks import render_certificate_pdf

from .qr import decode_svg_qr

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def pdf_reader(certificate):
    with certificate.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def test_pdf_text_has_holder_credential_number_and_code(certificate):
    text = " ".join(page.extract_text() for page in pdf_reader(certificate).pages)
    text = re.sub(r"\s+", " ", text)
    assert certificate.holder_name in text
    assert certificate.credential_name in text
    assert certificate.number in text
    assert certificate.display_code in text


def test_pdf_is_one_page_with_title_and_author(certificate):
    reader = pdf_reader(certificate)
    assert len(reader.pages) == 1
    assert reader.metadata.title == f"Certificate of Completion — {certificate.holder_name}"
    assert reader.metadata.author == certificate.issuer_name


def test_pdf_uses_only_the_bundled_fonts_subsetted(certificate):
    page = pdf_reader(certificate).pages[0]
    fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    # "ABCDEF+" marks a subset; the family names are the @font-face ones of the bundled files.
    assert fonts and all(
        re.fullmatch(r"/[A-Z]{6}\+PeerPath-(Sans|Serif)(-Bold)?", f) for f in fonts
    )


def test_qr_code_decodes_to_the_absolute_verification_url(certificate):
    html = pdf.render_html(certificate)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert decode_svg_qr(svg) == (
        f"http://testserver/certificates/verify/{certificate.display_code}/"
    )


def test_sha256_matches_the_stored_file(certificate):
    with certificate.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == certificate.pdf_sha256


def test_pdf_is_rendered_once(certificate, monkeypatch):
    name, digest = certificate.pdf.name, certificate.pdf_sha256
    monkeypatch.setattr(render, "render_pdf", lambda c: pytest.fail("rendered again"))
    render_certificate_pdf.enqueue(certificate.pk)
    render.store_pdf(Certificate.objects.get(pk=certificate.pk))
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.pdf_sha256) == (name, digest)


def test_certificate_is_verifiable_before_its_pdf_exists(client, user, programme):
    from peerpath.certificates.issuing import issue_for_completion

    # Without running on-commit callbacks the rendering task has not run yet.
    certificate, created = issue_for_completion(user, programme)
    assert created and not certificate.pdf
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200 and b"Valid" in response.content


def test_stored_file_name_cannot_be_guessed(certificate):
    assert certificate.verification_code not in certificate.pdf.name
    assert re.fullmatch(
        rf"certificates/\d{{4}}/{certificate.number}-[\w-]{{16}}\.pdf", certificate.pdf.name
    )


def test_fetcher_refuses_the_network_and_other_files():
    fetcher = pdf.LocalOnlyFetcher()
    for url in ["https://example.com/font.ttf", "file:///etc/passwd", "ftp://example.com/x"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_fetcher_reads_bundled_fonts():
    url = pdf.font_urls()["sans"]
    response = pdf.LocalOnlyFetcher().fetch(url)
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()


@pytest.mark.parametrize(
    ("page_size", "orientation"), [("A4", "portrait"), ("letter", "landscape")]
)
def test_template_preview_is_a_one_page_pdf(page_size, orientation, rf):
    template = CertificateTemplate.default()
    template.page_size, template.orientation = page_size, orientation
    response = template.serve_preview(rf.get("/"), "")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Jamie Okafor" in reader.pages[0].extract_text()


def test_template_wording_rejects_unknown_placeholders():
    from django.core.exceptions import ValidationError

    template = CertificateTemplate(name="x", wording="Well done {holder}, {secret_score}!")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "{secret_score}" in str(error.value)


def test_default_template_is_created_once():
    first = CertificateTemplate.default()
    assert CertificateTemplate.default() == first
    other = CertificateTemplate.objects.create(name="Other", is_default=True)
    assert CertificateTemplate.default() == other
    first.refresh_from_db()
    assert not first.is_default


def test_harfbuzz_check_reports_availability():
    assert pdf.harfbuzz_subset_available() in (True, False)


def test_template_logo_and_signature_appear_in_the_pdf(rf):
    # Renditions live in WAGTAILIMAGES_RENDITION_STORAGE (public media), not the private default.
    image = get_image_model().objects.create(title="Logo", file=get_test_image_file())
    template = CertificateTemplate.default()
    template.logo, template.signature_image = image, image
    response = template.serve_preview(rf.get("/"), "")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages[0].images) == 2


def test_fetcher_reads_renditions_from_the_rendition_storage():
    image = get_image_model().objects.create(title="Logo", file=get_test_image_file())
    url = pdf.rendition_url(image, "max-100x100")
    assert url.startswith(pdf.RENDITION_SCHEME)
    response = pdf.LocalOnlyFetcher().fetch(url)
    assert response.read(8) == b"\x89PNG\r\n\x1a\n"
    response.close()
