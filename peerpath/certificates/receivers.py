"""Certificates' receivers of other apps' announcements (connected in `CertificatesConfig.ready`):
a completed programme issues a certificate, met requirements for full certification confirm a
provisional one, and a confirmed e-mail address issues what was waiting for it.

The receivers never fail the announcing request (`announced`): an error is logged, and
`issue_owed_certificates` issues what is still owed and renders PDFs that are missing.
"""

import functools
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.training.models import Enrolment

from .issuing import (
    IssuingError,
    confirm_full,
    issue_for_completion,
    issue_pending,
    latest_certificate,
)
from .status import CertificateStatus

logger = logging.getLogger(__name__)


def announced(receiver):
    """A receiver of another app's announcement that never fails the announcing request.

    Announcements arrive after the learner's own transaction committed (a completion, a sign-off,
    a confirmed address): an error here must not turn that into an error page, nor stop the
    announcer's other work. It is logged (ids only), its changes roll back to a savepoint, and
    `issue_owed_certificates` catches up.
    """

    @functools.wraps(receiver)
    def robust(sender, **kwargs):
        try:
            with transaction.atomic():
                return receiver(sender, **kwargs)
        except Exception:
            logger.exception(
                "%s failed for user %s, programme %s; issue_owed_certificates will catch up",
                receiver.__name__,
                getattr(kwargs.get("user"), "pk", None),
                getattr(kwargs.get("programme"), "pk", None),
            )
            return None

    return robust


@announced
def on_full_certification_requirements_met(sender, *, user, programme, **kwargs):
    """Receiver for `peerpath.training.signals.full_certification_requirements_met`: the learner's
    provisional certificate, if one is in force, becomes full; a learner who completed a
    programme without a provisional stage gets the certificate that was waiting for these
    requirements. Returns the new certificate, or None."""
    latest = latest_certificate(user, programme)
    if latest is None:
        completed_at = (
            Enrolment.objects.filter(user=user, programme=programme, completed_at__isnull=False)
            .values_list("completed_at", flat=True)
            .first()
        )
        if completed_at is None:
            return None
        certificate, created = issue_for_completion(
            user, programme, completed_at, issued_at=timezone.now()
        )
        return certificate if created else None
    if latest.status != CertificateStatus.PROVISIONAL:
        return None
    try:
        return confirm_full(latest, reason=_("The requirements for full certification were met."))
    except IssuingError as error:
        logger.warning("Could not confirm certificate %s: %s", latest.number, error)
        return None


@announced
def on_programme_completed(sender, *, user, programme, completed_at=None, **kwargs):
    """Receiver for `peerpath.training.signals.programme_completed`."""
    certificate, created = issue_for_completion(user, programme, completed_at)
    if created:
        logger.info("Issued certificate %s to user %s", certificate.number, user.pk)
    return certificate


@announced
def on_email_confirmed(sender, *, user, **kwargs):
    """Receiver for `peerpath.accounts.signals.email_confirmed`."""
    return issue_pending(user)
