"""Catching up on certificates that an error left unissued or unrendered.

Completion is announced once, and issuing and rendering run after the learner's transaction
commits; an error there (a database hiccup, the task queue or the renderer down) is logged and
nothing more. `issue_owed_certificates` (the management command, meant to be scheduled) runs
these two: each is idempotent and safe beside itself, because issuing is guarded by the
database (one certificate per learner, programme and cycle) and storing a PDF by the row lock
(`render.store_pdf`).
"""

import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone

from peerpath.training.models import Enrolment

from .issuing import issue_for_completion
from .models import Certificate
from .render import store_pdf

logger = logging.getLogger(__name__)


def owed_enrolments():
    """Completed enrolments with no certificate issued since the completion.

    Some stay owed without anything being wrong (an unconfirmed address, requirements for full
    certification still unmet, a revoked certificate, a certificate still valid): issuing
    decides, and issues nothing for them.
    """
    certified = Certificate.objects.filter(
        holder=OuterRef("user_id"),
        programme=OuterRef("programme_id"),
        issued_at__gte=OuterRef("completed_at"),
    )
    return (
        Enrolment.objects.filter(completed_at__isnull=False)
        .exclude(Exists(certified))
        .select_related("user", "programme")
        .order_by("completed_at", "pk")
    )


def issue_owed():
    """Issue the certificates owed to completed enrolments, dated now (as when a learner confirms
    their address late). Returns (certificates issued, enrolments that failed)."""
    issued, failed = [], 0
    for enrolment in owed_enrolments():
        try:
            certificate, created = issue_for_completion(
                enrolment.user,
                enrolment.programme.specific,
                enrolment.completed_at,
                issued_at=timezone.now(),
            )
        except Exception:
            logger.exception("Could not issue the certificate owed to enrolment %s", enrolment.pk)
            failed += 1
            continue
        if created:
            logger.info(
                "Issued owed certificate %s to user %s", certificate.number, enrolment.user_id
            )
            issued.append(certificate)
    return issued, failed


def missing_pdfs():
    """Certificates whose PDF was never stored (erased holders' certificates have none to keep)."""
    return Certificate.objects.filter(pdf="", holder__isnull=False).order_by("pk")


def render_missing(limit=None):
    """Render and store the PDFs that are missing, at most `limit` of them. Returns (certificates
    rendered, certificates that failed)."""
    rendered, failed = [], 0
    for pk in missing_pdfs().values_list("pk", flat=True)[:limit]:
        certificate = Certificate.objects.filter(pk=pk).first()
        if certificate is None or certificate.pdf:
            continue
        try:
            store_pdf(certificate)
        except Exception:
            logger.exception("Could not render the PDF of certificate %s", pk)
            failed += 1
            continue
        if certificate.pdf:
            rendered.append(certificate)
    return rendered, failed
