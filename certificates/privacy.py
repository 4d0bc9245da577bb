"""What certificates contribute to the account export and to account erasure (accounts.privacy).

Erasure is the one time an issued certificate changes: the row stays, so numbers are never reused
and reports still count it, but it stops being valid ("No longer held") and loses everything that
identifies the person: the link to the account, the printed name, the hashed e-mail and the PDF.
A suspension in force is lifted and its reason removed: a relinquished certificate allows no
practice anyway, and the audit trail keeps the decision.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry

from . import audit
from .links import verification_url
from .models import Certificate

ERASED_NAME = "Name removed at the holder's request"


def export_personal_data(user):
    """The user's certificates as records, and their stored PDFs as files."""
    records, files = [], []
    for certificate in Certificate.objects.with_status().filter(holder=user).order_by("issued_at"):
        records.append(
            {
                "number": certificate.number,
                "holder_name": certificate.holder_name,
                "credential": certificate.credential_name,
                "programme": certificate.programme_title,
                "hours": str(certificate.hours),
                "issuer": certificate.issuer_name,
                "issued_at": certificate.issued_at,
                "expires_on": certificate.expires_on,
                "provisional": certificate.is_provisional,
                "grace_period_ends_on": certificate.grace_ends_on,
                "status": certificate.status.value,
                "suspended_at": certificate.suspended_at,
                "suspension_reason": certificate.suspension_reason,
                "verification_code": certificate.display_code,
                "verification_url": verification_url(certificate),
            }
        )
        if certificate.pdf:
            try:
                with certificate.pdf.open("rb") as handle:
                    files.append((f"certificates/{certificate.pdf_filename}", handle.read()))
            except OSError:
                pass  # A missing file is reported by the download page, not by the export.
    return {"data": {"certificates": records}, "files": files}


def _forget_name_in_audit_trail(certificate):
    """Log entries are labelled with the certificate's str(), which includes the holder's name."""
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Certificate),
        object_id=str(certificate.pk),
    ).update(label=f"{certificate.number} — {ERASED_NAME}, {certificate.credential_name}")


def erase_personal_data(user, erased_by=None):
    """Relinquish the user's certificates and strip what identifies them; files go on commit."""
    now = timezone.now()
    stored_files = []
    for certificate in Certificate.objects.filter(holder=user):
        if certificate.pdf:
            stored_files.append((certificate.pdf.storage, certificate.pdf.name))
        design = dict(certificate.design)
        if certificate.holder_name and design.get("wording"):
            design["wording"] = design["wording"].replace(certificate.holder_name, ERASED_NAME)
        Certificate.objects.filter(pk=certificate.pk).update(
            holder=None,
            holder_name=ERASED_NAME,
            recipient_hash="",
            recipient_salt="",
            design=design,
            pdf="",
            pdf_sha256="",
            suspended_at=None,
            suspended_by=None,
            suspension_reason="",
            relinquished_at=certificate.relinquished_at or now,
        )
        _forget_name_in_audit_trail(certificate)
        if certificate.relinquished_at is None:
            certificate.holder_name = ERASED_NAME
            audit.record(
                certificate,
                audit.RELINQUISH,
                by=erased_by,
                reason=gettext("The holder erased their account."),
            )

    def delete_files():
        for storage, name in stored_files:
            storage.delete(name)

    transaction.on_commit(delete_files)
