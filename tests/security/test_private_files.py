"""Facilitator-only documents and certificate PDFs live outside MEDIA_ROOT, in a storage with no
URL, so no web server serving MEDIA_URL can hand them out; image renditions stay public."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def under_media_root(field_file):
    return Path(settings.MEDIA_ROOT).resolve() in Path(field_file.path).resolve().parents


def test_documents_are_kept_outside_media_root_and_still_served_by_wagtails_view(
    client, staff_user
):
    document = get_document_model()(title="Facilitator pack")
    document.file.save("facilitator-pack.txt", ContentFile(b"Only for facilitators"), save=False)
    document.save()

    assert not under_media_root(document.file)
    with pytest.raises(NotImplementedError):
        _ = document.file.url
    client.force_login(staff_user)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Only for facilitators"


def test_certificate_pdfs_are_kept_outside_media_root(user):
    certificate = CertificateFactory(holder=user)
    certificate.pdf.save("certificate.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert not under_media_root(certificate.pdf)
    with pytest.raises(NotImplementedError):
        _ = certificate.pdf.url


def test_image_renditions_stay_public_under_media_url_and_originals_do_not():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Group room", file=ImageFile(buffer, name="group-room.png")
    )
    rendition = image.get_rendition("width-20")

    assert rendition.url.startswith(settings.MEDIA_URL)
    assert under_media_root(rendition.file)
    assert not under_media_root(image.file)
