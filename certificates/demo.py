"""Demo certificates: a valid one for the demo facilitator, plus a revoked and an expired example.

Idempotent: people who already hold a certificate for the programme are left as they are.
Needs the "PSGF" programme from training's demo; without it, this step is skipped.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from home.demo import ensure_person

from .issuing import add_months, issue_for_completion, revoke
from .links import verification_url
from .models import Certificate

FACILITATOR = {"email": "facilitator@peerpath.example", "name": "Jamie Okafor"}
REVOKED_EXAMPLE = {"email": "revoked.example@peerpath.example", "name": "Riley Hart"}
EXPIRED_EXAMPLE = {"email": "expired.example@peerpath.example", "name": "Morgan Ellis"}


def ensure_certificate(user, programme, completed_at):
    """The user's certificate for the programme, issued from `completed_at` if they have none."""
    existing = Certificate.objects.filter(holder=user, programme=programme).order_by("-cycle")
    if existing.exists():
        return existing.first()
    certificate, _created = issue_for_completion(user, programme, completed_at)
    return certificate


def load(stdout=None):
    from training.models import ProgrammePage

    programme = ProgrammePage.objects.filter(credential_code="PSGF").first()
    if programme is None:
        if stdout:
            stdout.write("  certificates: no PSGF programme, so no demo certificates")
        return []
    programme = programme.specific
    now = timezone.now()
    admin = get_user_model().objects.filter(username="admin@peerpath.example").first()

    with transaction.atomic():
        facilitator = ensure_certificate(
            ensure_person(FACILITATOR), programme, now - datetime.timedelta(days=45)
        )
        revoked = ensure_certificate(
            ensure_person(REVOKED_EXAMPLE), programme, now - datetime.timedelta(days=120)
        )
        if revoked.revoked_at is None:
            revoke(
                revoked,
                admin,
                "Demo example: revoked after a breach of the facilitators' code of conduct.",
            )
        months = (programme.validity_months or 24) + 2
        expired_from = timezone.make_aware(
            datetime.datetime.combine(add_months(timezone.localdate(), -months), datetime.time(10))
        )
        expired = ensure_certificate(ensure_person(EXPIRED_EXAMPLE), programme, expired_from)
        if expired.expires_on is None:
            # A programme without expiry still needs an expired example for the demo.
            Certificate.objects.filter(pk=expired.pk).update(
                expires_on=add_months(timezone.localdate(), -2)
            )
    certificates = [facilitator, revoked, expired]
    if stdout:
        for label, certificate in zip(("valid", "revoked", "expired"), certificates, strict=True):
            stdout.write(f"  certificate ({label}): {verification_url(certificate)}")
    return certificates
