"""What a new certificate records, and inserting it: the snapshot (holder name, credential,
hours, issuer, design), its sequential number and unguessable code, and its terms (expiry, grace
period) as the programme sets them. `issuing` decides when a certificate is issued; this module
only writes the row.
"""

import hashlib
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import F, Sum
from django.utils import timezone

from peerpath.accounts.models import certificate_name_for
from peerpath.training.models import ModulePage

from .codes import generate_code
from .design import design_snapshot, issuer_for
from .models import Certificate, CertificateNumberSequence, CertificateTemplate
from .rules import add_months, grace_end
from .status_list import draw_index

#: `new_certificate`'s default for terms the programme decides.
FROM_PROGRAMME = object()


def training_hours(programme):
    """The programme's training hours, from the training app when it provides them."""
    hours = getattr(programme, "estimated_hours", None)
    if callable(hours):
        hours = hours()
    if hours is None:
        minutes = (
            ModulePage.objects.child_of(programme)
            .live()
            .filter(is_required=True)
            .aggregate(total=Sum("estimated_minutes"))["total"]
        )
        hours = Decimal(minutes or 0) / 60
    return Decimal(str(hours)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def template_for(programme):
    """The programme's certificate template, or the site default."""
    return getattr(programme, "certificate_template", None) or CertificateTemplate.default()


def recipient_identity(email, salt):
    """Open Badges hashed identity: "sha256$" + hex digest of the e-mail and the salt."""
    normalised = (email or "").strip().lower()
    return "sha256$" + hashlib.sha256((normalised + salt).encode()).hexdigest()


def next_number(credential_code, year):
    """The next certificate number for a credential and year, e.g. PSGF-2026-000042.

    Must run inside the issuing transaction: the counter row stays locked until it commits, so
    concurrent issues queue here and numbers are never duplicated or skipped.
    """
    sequence, _created = CertificateNumberSequence.objects.get_or_create(
        credential_code=credential_code, year=year
    )
    CertificateNumberSequence.objects.filter(pk=sequence.pk).update(
        last_number=F("last_number") + 1
    )
    number = CertificateNumberSequence.objects.values_list("last_number", flat=True).get(
        pk=sequence.pk
    )
    return f"{credential_code}-{year}-{number:06d}"


def current_name(user):
    """The name on the learner's profile now, not as cached on a user object passed around."""
    fresh = (
        get_user_model()
        ._default_manager.select_related("peerpath_profile")
        .filter(pk=user.pk)
        .first()
    )
    return certificate_name_for(fresh or user)


def new_certificate(
    user,
    programme,
    *,
    cycle,
    supersedes=None,
    issued_at=None,
    expires_on=FROM_PROGRAMME,
    is_provisional=False,
    grace_ends_on=FROM_PROGRAMME,
):
    """Insert a snapshot certificate; the caller holds the transaction and handles conflicts.

    When it replaces `supersedes`, that certificate is marked superseded (`superseded_at`, the
    new one's time of issue) in the same transaction: from the moment the replacement exists,
    the old row says so itself.

    A provisional certificate runs for the programme's provisional validity and has no grace
    period: once it ends, the holder is no longer certified at any stage.
    """
    issued_at = issued_at or timezone.now()
    today = timezone.localdate(issued_at)
    issuer_name, issuer_url = issuer_for(programme)
    if expires_on is FROM_PROGRAMME:
        months = (
            programme.provisional_validity_months if is_provisional else programme.validity_months
        )
        expires_on = add_months(today, months) if months else None
    if grace_ends_on is FROM_PROGRAMME:
        grace_ends_on = None if is_provisional else grace_end(programme, expires_on)
    salt = secrets.token_hex(8)
    certificate = Certificate(
        holder=user,
        programme=programme,
        cycle=cycle,
        holder_name=current_name(user),
        credential_name=programme.credential_name,
        credential_code=programme.credential_code,
        programme_title=programme.title,
        hours=training_hours(programme),
        issuer_name=issuer_name,
        issuer_url=issuer_url,
        recipient_salt=salt,
        recipient_hash=recipient_identity(user.email, salt),
        number=next_number(programme.credential_code, today.year),
        verification_code=generate_code(),
        status_list_index=draw_index(),
        issued_at=issued_at,
        expires_on=expires_on,
        is_provisional=is_provisional,
        grace_ends_on=grace_ends_on,
        supersedes=supersedes,
    )
    certificate.design = design_snapshot(template_for(programme), certificate)
    certificate.save(force_insert=True)
    if supersedes is not None:
        Certificate.objects.filter(pk=supersedes.pk).update(superseded_at=issued_at)
        supersedes.superseded_at = issued_at
        supersedes.refresh_status()
    return certificate
