"""What certificates contribute to the account export and to account erasure (accounts.privacy).

The export lists every certificate with its status and the decisions taken about it: suspensions,
reinstatements and revocations, when, and the reasons given (not who took them: staff are other
people).

Erasure is the one time an issued certificate changes: the row stays, so numbers are never reused
and reports still count it, but it stops being valid ("No longer held") and loses everything that
identifies the person: the link to the account, the printed name, the hashed e-mail and the PDF.
A suspension in force is lifted; the reasons staff wrote about the person (suspension, revocation,
reinstatement) go from the certificate and from its audit entries, which keep the decisions and
their dates. Audit entries are labelled without the holder's name (`Certificate.__str__`).

A certificate awarded on recognition of prior learning says so in the export, with the award's
dates, its evidence note and its evidence file (the holder's own record of their training). On
erasure the award row stays, so staff still see that the certificate was awarded, when and by
whom, but its evidence note and file (personal data about the holder) go, as its audit entry's
reason does.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from . import audit
from .links import verification_url
from .models import Certificate, CertificateLogEntry, PriorLearningAward

ERASED_NAME = "Name removed at the holder's request"
ERASED_REASON = "Reason removed at the holder's request"
ERASED_EVIDENCE = "Evidence removed at the holder's request"


def _history(certificate):
    return [
        {
            "action": str(audit.ACTIONS[entry.action][1]) if entry.action in audit.ACTIONS else "",
            "at": entry.timestamp,
            "reason": (entry.data or {}).get("reason", ""),
        }
        for entry in certificate.log_entries.all()
    ]


def _award(certificate):
    """The award on prior learning behind `certificate`, or None (read with the certificate)."""
    try:
        return certificate.prior_learning_award
    except PriorLearningAward.DoesNotExist:
        return None


def _award_record(award):
    if award is None:
        return None
    return {
        "originally_issued_on": award.original_issued_on,
        "awarded_at": award.awarded_at,
        "evidence_note": award.evidence_note,
        "evidence_file": bool(award.evidence_file),
    }


def _read(field_file):
    """A stored file's bytes, or None if it has gone missing (the export goes on without it)."""
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def export_personal_data(user):
    """The user's certificates as records, and their stored PDFs as files."""
    records, files = [], []
    certificates = (
        Certificate.objects.with_status()
        .filter(holder=user)
        .select_related("prior_learning_award")
        .prefetch_related(
            Prefetch("log_entries", CertificateLogEntry.objects.order_by("timestamp", "pk"))
        )
        .order_by("issued_at")
    )
    for certificate in certificates:
        award = _award(certificate)
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
                "revoked_at": certificate.revoked_at,
                "revocation_reason": certificate.revocation_reason,
                "relinquished_at": certificate.relinquished_at,
                "awarded_on_recognition_of_prior_learning": award is not None,
                "prior_learning_award": _award_record(award),
                "history": _history(certificate),
                "verification_code": certificate.display_code,
                "verification_url": verification_url(certificate),
            }
        )
        # A missing file is reported by the download page, not by the export.
        if certificate.pdf and (content := _read(certificate.pdf)) is not None:
            files.append((f"certificates/{certificate.pdf_filename}", content))
        if award is not None and award.evidence_file:
            if (content := _read(award.evidence_file)) is not None:
                extension = award.evidence_file.name.rsplit(".", 1)[-1]
                name = f"certificates/evidence-{certificate.number}.{extension}"
                files.append((name, content))
    return {"data": {"certificates": records}, "files": files}


def _forget_reasons_in_audit_trail(certificate):
    """The reasons staff wrote about the holder leave the certificate's audit entries."""
    for entry in certificate.log_entries.filter(action__in=audit.FREE_TEXT_REASONS):
        if (entry.data or {}).get("reason"):
            data = {key: value for key, value in entry.data.items() if key != "reason"}
            type(entry).objects.filter(pk=entry.pk).update(data=data)


def _forget_evidence(certificate):
    """The award's evidence note and file leave it (its dates and who awarded it stay); returns
    the stored file to delete once the erasure commits."""
    award = PriorLearningAward.objects.filter(certificate=certificate).first()
    if award is None:
        return []
    PriorLearningAward.objects.filter(pk=award.pk).update(
        evidence_note=ERASED_EVIDENCE, evidence_file=""
    )
    if award.evidence_file:
        return [(award.evidence_file.storage, award.evidence_file.name)]
    return []


def erase_personal_data(user, erased_by=None):
    """Relinquish the user's certificates and strip what identifies them; files go on commit.

    The rows are locked first: a PDF being rendered meanwhile is either stored before (and its
    file is deleted here) or refused afterwards, because the name it printed has gone
    (`render.store_pdf`).
    """
    now = timezone.now()
    stored_files = []
    with transaction.atomic():
        for certificate in Certificate.objects.select_for_update().filter(holder=user):
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
                revocation_reason=ERASED_REASON if certificate.revoked_at else "",
                relinquished_at=certificate.relinquished_at or now,
            )
            _forget_reasons_in_audit_trail(certificate)
            stored_files.extend(_forget_evidence(certificate))
            if certificate.relinquished_at is None:
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
