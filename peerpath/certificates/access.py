"""The one question other apps ask certificates: does this user hold a valid certificate?

`workshops` uses these to unlock facilitator-only material. Both are a single query. A
provisional certificate counts (its holder practises under supervision); a suspended, lapsed or
expired one does not (`CertificateStatus.practising()`).
"""

from peerpath.organisations.scope import scope_certificates

from .models import Certificate


def holds_valid_certificate(user, programme):
    """True if `user` holds a certificate for `programme` that is valid today.

    `programme` may be a ProgrammePage or its id. Valid means valid or provisional: not revoked,
    relinquished, superseded, suspended, lapsed or expired. Anonymous users hold nothing.
    """
    if user is None or not getattr(user, "is_authenticated", False) or programme is None:
        return False
    programme_id = getattr(programme, "pk", programme)
    return Certificate.objects.practising().filter(holder=user, programme_id=programme_id).exists()


def valid_programme_ids(user):
    """The ids of every programme for which `user` holds a valid (or provisional) certificate
    today."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Certificate.objects.practising()
        .filter(holder=user, programme__isnull=False)
        .values_list("programme_id", flat=True)
    )


def practising_holder_ids(programme):
    """The ids of everyone who holds a valid (or provisional) certificate for `programme` today:
    a subquery, so a chooser or a roster check stays one query."""
    programme_id = getattr(programme, "pk", programme)
    return (
        Certificate.objects.practising()
        .filter(programme_id=programme_id, holder__isnull=False)
        .values("holder_id")
    )


def is_certificate_staff(user):
    """Staff who may view certificates (those of their organisations' learners)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_staff
        and user.has_perm("peerpath_certificates.view_certificate")
    )


def can_download(user, certificate):
    """The holder, and staff who may view certificates and see this one (it belongs to a learner
    of their organisations: `peerpath.scope`), can download a certificate's PDF."""
    if not getattr(user, "is_authenticated", False):
        return False
    if certificate.holder_id is not None and certificate.holder_id == user.pk:
        return True
    return (
        is_certificate_staff(user)
        and scope_certificates(Certificate.objects.filter(pk=certificate.pk), user).exists()
    )


def certificates_for_holder(user):
    """The user's current certificates (replaced ones left out), newest first, with status."""
    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    return (
        Certificate.objects.with_status()
        .filter(holder=user, superseded_at__isnull=True)
        .order_by("-issued_at", "-pk")
    )
