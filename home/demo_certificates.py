"""Demo certificates: a valid one for the demo facilitator, plus a revoked and an expired example;
then the holders of the certification-rules programmes (`home.demo_rules.HOLDERS`, whose
docstring lists every demo person and their stage).

Idempotent: people who already hold a certificate for the programme are left as they are.
Needs the "PSGF" programme from training's demo; without it, this step is skipped. The rules
holders need the rules programmes; without them, those are skipped.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from home.demo import ensure_person
from home.demo_rules import (
    HOLDERS,
    programmes_by_code,
    record_completed_training,
    record_holder_activity,
)
from peerpath.certificates import keys
from peerpath.certificates.issuing import confirm_full, issue_for_completion, revoke, suspend
from peerpath.certificates.links import verification_url
from peerpath.certificates.models import Certificate
from peerpath.certificates.rules import add_months
from peerpath.training.models import ProgrammePage

FACILITATOR = {"email": "facilitator@peerpath.example", "name": "Jamie Okafor"}
REVOKED_EXAMPLE = {"email": "revoked.example@peerpath.example", "name": "Riley Hart"}
EXPIRED_EXAMPLE = {"email": "expired.example@peerpath.example", "name": "Morgan Ellis"}
# Verifiers never see it; the holder and administrators do.
SUSPENSION_REASON = (
    "Demo example: suspended while a complaint about a group session is looked into."
)


def ensure_certificate(user, programme, completed_at):
    """The user's certificate for the programme, issued from `completed_at` if they have none."""
    existing = Certificate.objects.filter(holder=user, programme=programme).order_by("-cycle")
    if existing.exists():
        return existing.first()
    certificate, _created = issue_for_completion(user, programme, completed_at)
    return certificate


def load(stdout=None):
    """A signing key when there is none, the Foundations examples (returned), then the rules
    programmes' holders."""
    ensure_signing_key(stdout)
    certificates = load_foundations_examples(stdout)
    load_rules_holders(stdout)
    return certificates


def ensure_signing_key(stdout=None):
    """The demo signs Open Badges 3.0 credentials with a key of its own, made on first load."""
    if keys.published_keys():
        return
    key = keys.create_key()
    if stdout:
        stdout.write(f"  certificates: made Open Badges signing key {key.kid} ({key.alg})")


def load_foundations_examples(stdout=None):

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


def _issued_at(months, days):
    day = add_months(timezone.localdate(), -months) - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def ensure_holder(holder, programme, admin):
    """The `holder`'s certificate for `programme` at the stage `HOLDERS` gives them.

    The first time: their completed training, a certificate issued (with `issued_at`) on the day
    they completed it, what they did since, then the lifecycle step (suspension, or confirming
    full certification, which `issuing` dates today). Afterwards the certificate is left as it is.
    """

    user = ensure_person(holder["person"])
    latest = Certificate.objects.filter(holder=user, programme=programme).order_by("-cycle")
    if latest.exists():
        return latest.first()
    completed_at = _issued_at(*holder["issued"])
    record_completed_training(user, programme, completed_at, holder.get("refresher"))
    certificate, _created = issue_for_completion(user, programme, completed_at)
    # Recorded after issue: a CPP holder's supervised hours must not exist yet when the
    # certificate is issued, or it would be a full one from the start instead of provisional.
    record_holder_activity(user, programme, holder)
    if holder.get("then") == "suspend":
        suspend(certificate, admin, SUSPENSION_REASON)
    elif holder.get("then") == "confirm full":
        certificate = confirm_full(
            certificate, reason="The requirements for full certification were met."
        )
    return certificate


def load_rules_holders(stdout=None):
    """Certificates at every stage for the rules programmes; returns {e-mail: certificate}."""

    programmes = programmes_by_code()
    if not programmes:
        return {}
    admin = get_user_model().objects.filter(username="admin@peerpath.example").first()
    certificates = {}
    with transaction.atomic():
        for holder in HOLDERS:
            programme = programmes.get(holder["programme"])
            if programme is not None:
                certificate = ensure_holder(holder, programme, admin)
                certificates[holder["person"]["email"]] = certificate
    if stdout:
        for holder in HOLDERS:
            certificate = certificates.get(holder["person"]["email"])
            if certificate is not None:
                stdout.write(
                    f"  {holder['programme']} holder ({holder['expect']}): "
                    f"{holder['person']['email']} {verification_url(certificate)}"
                )
    return certificates
