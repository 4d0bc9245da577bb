"""Issuing, renewing, reissuing, confirming, suspending, reinstating, revoking and relinquishing
certificates: the only place that does.

One certificate per learner, programme and certification cycle is guaranteed by the database
(`one_certificate_per_cycle`), not by checking first: two simultaneous completions both try to
insert cycle N, one wins, the other returns the winner's certificate. Certificate numbers come from
a locked per-code, per-year counter in the same transaction. The PDF is rendered afterwards by a
task; a certificate is verifiable from the moment its transaction commits.

A programme with a provisional stage (`provisional_validity_months`) issues a provisional
certificate on completion; `confirm_full` replaces it with a full one, dated the same day, so there
is no gap. The programme's grace period is fixed on each certificate at issue (`grace_ends_on`).
Suspension is reversible and keeps the certificate; revocation is final.

Renewals, reissues and confirmations form a chain; revoking or suspending acts on the current
certificate of the chain (`current_certificate`), whichever link staff opened. Every change to an
issued certificate takes its row lock and decides on the row as it is then, so a renewal racing a
revocation either sees the revocation and refuses, or is seen by it and the revocation moves on to
the successor: never a valid successor of a revoked certificate.

What a new certificate records is `snapshot.py`'s; the date rules (expiry, grace, the renewal
window) are `rules.py`'s. Other apps announce completions and confirmations with signals, which
`receivers.py` turns into calls of this module.
"""

import functools
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.verification import has_confirmed_email
from peerpath.training.models import Enrolment
from peerpath.training.requirements import full_certification_progress, full_requirements_met

from . import audit
from .models import Certificate
from .renewal import renewal_progress
from .rules import is_renewable, renewed_expiry
from .snapshot import new_certificate
from .status import RENEWAL_WINDOW_DAYS, CertificateStatus
from .tasks import enqueue_render

logger = logging.getLogger(__name__)


class IssuingError(Exception):
    """A lifecycle action that cannot be done, with a message fit to show an administrator."""


def schedule_render(certificate):
    """Render the PDF once the certificate's transaction has committed (a job that cannot be
    queued is logged, not raised: `enqueue_render`)."""
    transaction.on_commit(functools.partial(enqueue_render, certificate.pk))


def latest_certificate(user, programme):
    """The user's certificate for the programme with the highest cycle, with its status."""
    return (
        Certificate.objects.with_status()
        .filter(holder=user, programme=programme)
        .order_by("-cycle")
        .first()
    )


def _lock(pk):
    """Lock the certificate's row until the transaction ends, then read it with its status.

    Two statements on purpose: on PostgreSQL a statement that waited for the lock still sees the
    rest of the database as it was when it started, so a status computed in the locking statement
    would miss a successor committed while it waited.
    """
    list(Certificate.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))
    return Certificate.objects.with_status().get(pk=pk)


def _successor_id(pk):
    return Certificate.objects.filter(supersedes_id=pk).values_list("pk", flat=True).first()


def _lock_current(certificate):
    """Lock and return the current certificate of `certificate`'s chain. Rows are locked oldest
    first, as a renewal locks the certificate it replaces, so the two queue instead of
    deadlocking."""
    pk = certificate.pk
    while True:
        locked = _lock(pk)
        successor = _successor_id(pk)
        if successor is None:
            return locked
        pk = successor


def current_certificate(certificate):
    """The current certificate of `certificate`'s renewal, reissue and confirmation chain (itself
    when nothing replaced it), with its status: the one revoking or suspending acts on."""
    current = certificate
    while (successor := _successor_id(current.pk)) is not None:
        current = Certificate.objects.with_status().get(pk=successor)
    return current


def _changed(certificate, target):
    """What a lifecycle action returns: the certificate it changed, `target`. When that is the
    certificate the caller passed, the caller's object is brought up to date as well."""
    certificate.refresh_status()
    if target.pk != certificate.pk:
        return target
    certificate.refresh_from_db()
    return certificate


def _insert_cycle(user, programme, cycle, **kwargs):
    """Insert cycle N, or return the certificate a concurrent transaction inserted first."""
    try:
        with transaction.atomic():
            certificate = new_certificate(user, programme, cycle=cycle, **kwargs)
    except IntegrityError:
        existing = Certificate.objects.filter(holder=user, programme=programme, cycle=cycle).first()
        if existing is None:
            raise
        return existing, False
    schedule_render(certificate)
    return certificate, True


def issue_for_completion(user, programme, completed_at=None, *, issued_at=None):
    """Issue the certificate a completion earns, exactly once; returns (certificate, created).

    Certificates go only to a confirmed e-mail address: while the holder's current address is
    unconfirmed this returns (None, False) and issues nothing; `issue_pending` issues it once
    they confirm. The first completion issues cycle 1, dated `issued_at` (default: the time of
    completion). A later completion renews the latest certificate when `is_renewable` says so;
    otherwise (the same completion announced twice, or a certificate that is still valid) the
    existing certificate is returned and nothing changes. Returns (None, False) when a revoked
    certificate blocks automatic issuing.
    """
    if not has_confirmed_email(user):
        logger.info("No certificate for user %s yet: e-mail address not confirmed", user.pk)
        return None, False
    with transaction.atomic():
        latest = latest_certificate(user, programme)
        if latest is not None:
            # A revocation or renewal racing this completion either finished (and is seen
            # here) or waits for it.
            latest = _lock_current(latest)
        if latest is None:
            if _waits_for_full_requirements(user, programme):
                logger.info(
                    "No certificate for user %s yet: requirements for full certification unmet",
                    user.pk,
                )
                return None, False
            certificate, created = _insert_cycle(
                user,
                programme,
                1,
                issued_at=issued_at or completed_at,
                is_provisional=_starts_provisional(user, programme),
            )
            if created:
                audit.record(certificate, audit.ISSUE, reason=_("Completed the programme."))
            return certificate, created
        if completed_at is not None and latest.issued_at >= completed_at:
            return latest, False
        if not is_renewable(latest):
            if latest.status == CertificateStatus.REVOKED:
                return None, False
            return latest, False
        today = timezone.localdate()
        certificate, created = _insert_cycle(
            user,
            programme,
            latest.cycle + 1,
            supersedes=latest,
            expires_on=renewed_expiry(latest, programme, today),
        )
        if created:
            reason = _("Completed the programme again.")
            audit.record(latest, audit.RENEW, reason=reason, successor=certificate.number)
            audit.record(certificate, audit.ISSUE, reason=reason, replaces=latest.number)
        return certificate, created


def _waits_for_full_requirements(user, programme):
    """A programme without a provisional stage issues nothing until its requirements for full
    certification (e.g. co-facilitated sessions) are met as well as the training."""
    if programme.provisional_validity_months:
        return False
    progress = full_certification_progress(user.pk, [programme.pk]).get(programme.pk, [])
    return not all(item.is_met for item in progress)


def _starts_provisional(user, programme):
    """A staged programme starts with a provisional certificate, unless the learner has already
    met the requirements for full certification (e.g. logged their supervised hours while
    training)."""
    return bool(programme.provisional_validity_months) and not full_requirements_met(
        user.pk, programme.pk
    )


def issue_pending(user):
    """Issue what the user's completions earned while their address was unconfirmed.

    Called when they confirm it. A completed programme with no certificate for that completion
    gets one now, dated now; completions already certified are left as they are.
    """
    issued = []
    completed = (
        Enrolment.objects.filter(user=user, completed_at__isnull=False)
        .select_related("programme")
        .order_by("completed_at")
    )
    for enrolment in completed:
        programme = enrolment.programme.specific
        certificate, created = issue_for_completion(
            user, programme, enrolment.completed_at, issued_at=timezone.now()
        )
        if created:
            logger.info("Issued pending certificate %s to user %s", certificate.number, user.pk)
            issued.append(certificate)
    return issued


def _refuse(reason):
    if reason:
        raise IssuingError(reason)


def _successor_for(certificate, by, *, action, refusal, terms, reason=""):
    """Issue the certificate that replaces `certificate`, recording `action` (and why) on the old
    one. `refusal(certificate)` says why a certificate in its state cannot be replaced (or None);
    `terms(certificate, programme)` gives the new certificate's terms (as for `_new_certificate`).
    Both are asked again of the row as it is under its lock."""
    _refuse(refusal(certificate))
    if certificate.holder_id is None or certificate.programme_id is None:
        raise IssuingError(_("This certificate's holder or programme no longer exists."))
    if _successor_id(certificate.pk) is not None:
        raise IssuingError(_("This certificate has already been replaced."))
    if not has_confirmed_email(certificate.holder):
        raise IssuingError(
            _(
                "The holder has not confirmed their e-mail address, and certificates are only "
                "issued to a confirmed address. They can send themselves a new link from their "
                "profile page; try again once they have confirmed it."
            )
        )
    programme = certificate.programme.specific
    with transaction.atomic():
        locked = _lock(certificate.pk)
        _refuse(refusal(locked))
        if _successor_id(locked.pk) is not None:
            raise IssuingError(_("Someone else has just replaced this certificate."))
        latest = latest_certificate(certificate.holder, programme)
        successor, created = _insert_cycle(
            certificate.holder,
            programme,
            latest.cycle + 1,
            supersedes=locked,
            **terms(locked, programme),
        )
        if not created:
            raise IssuingError(_("Someone else has just replaced this certificate."))
        audit.record(locked, action, by=by, reason=reason, successor=successor.number)
        audit.record(successor, audit.ISSUE, by=by, reason=reason, replaces=locked.number)
    certificate.refresh_status()
    logger.info(
        "Certificate %s replaced by %s (by user %s)",
        certificate.number,
        successor.number,
        getattr(by, "pk", None),
    )
    return successor


def _renewal_refusal(certificate):
    status = certificate.status
    if status == CertificateStatus.REVOKED:
        return _("A revoked certificate cannot be renewed.")
    if status == CertificateStatus.SUSPENDED:
        return _("A suspended certificate cannot be renewed: reinstate it first.")
    if status == CertificateStatus.PROVISIONAL:
        return _("A provisional certificate is not renewed: confirm full certification instead.")
    if certificate.programme_id is None:
        return _("This certificate's programme no longer exists.")
    return None


def _renewal_terms(certificate, programme):
    return {"expires_on": renewed_expiry(certificate, programme, timezone.localdate())}


def renew(certificate, by=None):
    """An administrator renews a certificate: a new one, valid for a new period, supersedes it.

    A lapsed certificate is renewed without training again; the new period starts today.
    """
    return _successor_for(
        certificate, by, action=audit.RENEW, refusal=_renewal_refusal, terms=_renewal_terms
    )


def renew_as_holder(certificate, user):
    """The holder renews their own certificate once its programme's renewal requirements are
    met (continuing education, sessions…): from `RENEWAL_WINDOW_DAYS` before expiry, or while
    lapsed. A new certificate supersedes it; renewing early keeps the time left, so there is no
    gap in validity."""
    if certificate.holder_id != user.pk:
        raise IssuingError(_("Only the holder can renew this certificate."))
    status = certificate.status
    if status == CertificateStatus.SUPERSEDED:
        raise IssuingError(_("This certificate has already been renewed or replaced."))
    if status == CertificateStatus.SUSPENDED:
        raise IssuingError(
            _("A suspended certificate cannot be renewed. Please contact your programme team.")
        )
    if status in (CertificateStatus.REVOKED, CertificateStatus.RELINQUISHED):
        raise IssuingError(_("This certificate is no longer held, so it cannot be renewed."))
    if status == CertificateStatus.EXPIRED:
        raise IssuingError(
            _(
                "This certificate has expired and its grace period has ended; please contact "
                "your programme team about renewing it."
            )
        )
    progress = renewal_progress(certificate)
    if progress is None:
        raise IssuingError(
            _(
                "This certificate is renewed by completing the programme again, or by an "
                "administrator."
            )
        )
    if not progress.is_met:
        raise IssuingError(
            _("Not yet: still needed — %(missing)s.") % {"missing": "; ".join(progress.missing)}
        )
    if not is_renewable(certificate):
        raise IssuingError(
            _("Renewal opens %(days)s days before the certificate expires.")
            % {"days": RENEWAL_WINDOW_DAYS}
        )
    return renew(certificate, by=user)


def _reissue_refusal(certificate):
    status = certificate.status
    if status == CertificateStatus.REVOKED:
        return _("A revoked certificate cannot be reissued.")
    if status == CertificateStatus.SUSPENDED:
        return _("A suspended certificate cannot be reissued: reinstate it first.")
    return None


def _reissue_terms(certificate, programme):
    return {
        "expires_on": certificate.expires_on,
        "is_provisional": certificate.is_provisional,
        "grace_ends_on": certificate.grace_ends_on,
    }


def reissue(certificate, by=None):
    """Issue a corrected copy (current name, template and issuer) with the same expiry date.

    Used after a name change. The old one is superseded and keeps its row. A revoked certificate
    is never reissued: revocation is final.
    """
    return _successor_for(
        certificate, by, action=audit.REISSUE, refusal=_reissue_refusal, terms=_reissue_terms
    )


def _confirmation_refusal(certificate):
    if certificate.status != CertificateStatus.PROVISIONAL:
        return _("Only a provisional certificate that is still in force can be confirmed.")
    if certificate.programme_id is None:
        return _("This certificate's programme no longer exists.")
    return None


def confirm_full(certificate, by=None, reason=""):
    """The provisional stage's requirements are met: a full certificate, issued now and valid for
    the programme's full period, supersedes the provisional one (no gap in validity). `by` is
    None when it happens automatically, on the supervisor's sign-off."""
    return _successor_for(
        certificate,
        by,
        action=audit.CONFIRM,
        refusal=_confirmation_refusal,
        terms=lambda certificate, programme: {},
        reason=reason,
    )


#: What a certificate can be suspended from: those a holder could practise on, or renew.
SUSPENDABLE = frozenset(
    {CertificateStatus.VALID, CertificateStatus.PROVISIONAL, CertificateStatus.LAPSED}
)


def _suspension_refusal(certificate):
    status = certificate.status
    if status == CertificateStatus.SUSPENDED:
        return _("This certificate is already suspended.")
    if status not in SUSPENDABLE:
        return _("A certificate that is %(status)s cannot be suspended.") % {
            "status": status.label.lower()
        }
    return None


def suspend(certificate, by, reason):
    """Suspend the current certificate of `certificate`'s chain (`current_certificate`) with a
    reason: it stops allowing practice until reinstated. Returns the certificate suspended.

    Verifiers see "Suspended" and the date, never the reason. Only a certificate in force (or
    lapsed, so still renewable) can be suspended; a revoked, relinquished or expired one has
    nothing left to suspend.
    """
    reason = (reason or "").strip()[:1000]
    if not reason:
        raise IssuingError(_("Give a reason for suspending the certificate."))
    with transaction.atomic():
        target = _lock_current(certificate)
        _refuse(_suspension_refusal(target))
        Certificate.objects.filter(pk=target.pk).update(
            suspended_at=timezone.now(), suspended_by=by, suspension_reason=reason
        )
        audit.record(target, audit.SUSPEND, by=by, reason=reason)
    logger.info("Certificate %s suspended by user %s", target.number, getattr(by, "pk", None))
    return _changed(certificate, target)


def reinstate(certificate, by, reason=""):
    """Lift a suspension: the certificate is what its dates make it again (the suspension's
    reason moves to the audit trail, which keeps both entries)."""
    if certificate.status != CertificateStatus.SUSPENDED:
        raise IssuingError(_("Only a suspended certificate can be reinstated."))
    with transaction.atomic():
        target = _lock(certificate.pk)
        if target.status != CertificateStatus.SUSPENDED:
            raise IssuingError(_("Someone else has just changed this certificate."))
        Certificate.objects.filter(pk=target.pk).update(
            suspended_at=None, suspended_by=None, suspension_reason=""
        )
        audit.record(target, audit.REINSTATE, by=by, reason=(reason or "").strip()[:1000])
    logger.info("Certificate %s reinstated by user %s", target.number, getattr(by, "pk", None))
    return _changed(certificate, target)


def revoke(certificate, by, reason):
    """Revoke the current certificate of `certificate`'s chain (`current_certificate`: revoking
    a replaced certificate would leave its replacement valid) with a reason. The row stays;
    verifiers see "Revoked on <date>". Returns the certificate revoked."""
    reason = (reason or "").strip()[:1000]
    if not reason:
        raise IssuingError(_("Give a reason for revoking the certificate."))
    with transaction.atomic():
        target = _lock_current(certificate)
        if target.status == CertificateStatus.REVOKED:
            if target.pk == certificate.pk:
                raise IssuingError(_("This certificate has already been revoked."))
            raise IssuingError(
                _("Certificate %(number)s, which replaced this one, has already been revoked.")
                % {"number": target.number}
            )
        Certificate.objects.filter(pk=target.pk).update(
            revoked_at=timezone.now(), revoked_by=by, revocation_reason=reason
        )
        audit.record(target, audit.REVOKE, by=by, reason=reason)
    logger.info("Certificate %s revoked by user %s", target.number, getattr(by, "pk", None))
    return _changed(certificate, target)


def relinquish(certificate, by=None, reason=""):
    """The holder gives the credential up (e.g. when erasing their account). Idempotent."""
    with transaction.atomic():
        updated = Certificate.objects.filter(
            pk=certificate.pk, relinquished_at__isnull=True
        ).update(relinquished_at=timezone.now())
        if updated:
            audit.record(certificate, audit.RELINQUISH, by=by, reason=reason)
    certificate.refresh_from_db(fields=["relinquished_at"])
    certificate.refresh_status()
    return certificate
