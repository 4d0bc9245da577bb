"""Each certificate's PDF, rendered once and kept in storage (the download view serves the file,
never a new rendering). The rendering itself is `pdf.py`'s.
"""

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import Certificate
from .pdf import render_pdf


def store_pdf(certificate):
    """Render the certificate once and keep the file; later calls leave the stored PDF alone.

    The file name is random so that storage URLs (e.g. a public bucket) cannot be guessed;
    downloads go through the permission-checked view.
    """
    if certificate.pdf:
        return certificate
    content = render_pdf(certificate)
    digest = hashlib.sha256(content).hexdigest()
    year = timezone.localdate(certificate.issued_at).year
    name = default_storage.save(
        f"certificates/{year}/{certificate.number}-{secrets.token_urlsafe(12)}.pdf",
        ContentFile(content),
    )
    if not _keep(certificate, name, digest):
        default_storage.delete(name)
        certificate.refresh_from_db(fields=["pdf", "pdf_sha256"])
        return certificate
    certificate.pdf.name = name
    certificate.pdf_sha256 = digest
    return certificate


def _keep(certificate, name, digest):
    """Record the stored file on the certificate, if it is still the one to keep.

    Under the row lock, the certificate must still have no PDF (two renders may race: retries,
    several workers; the first wins) and still print what was rendered: an erasure that ran while
    this rendered replaced the name, and its PDF must not come back. An erasure that starts now
    waits for this lock, then finds the file and deletes it.
    """
    with transaction.atomic():
        row = (
            Certificate.objects.select_for_update()
            .filter(pk=certificate.pk)
            .values("pdf", "holder_name", "design")
            .first()
        )
        if (
            row is None
            or row["pdf"]
            or row["holder_name"] != certificate.holder_name
            or row["design"] != certificate.design
        ):
            return False
        Certificate.objects.filter(pk=certificate.pk).update(pdf=name, pdf_sha256=digest)
    return True
