"""Open Badges 2.0 hosted verification: Assertion → BadgeClass → Issuer, built from the snapshot.

https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html

Open Badges 2.0 can say "expired" (the assertion's `expires`) and "revoked", nothing else. A
lapsed certificate is past its `expires`, so badge verifiers already treat it as expired; a
provisional one is an ordinary assertion that expires when the provisional stage ends. A
suspended certificate must not be trusted while suspended, so its assertion answers like a
revoked one (HTTP 410, with `revocationReason` "Suspended"); hosted verification asks afresh
each time, so reinstatement restores the assertion. The reason for suspension is never shown.
"""

import base64
from email.utils import parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from wagtail.models import Site

from peerpath.models import OrganisationSettings

from .links import badge_urls, verification_url
from .status import CertificateStatus

CONTEXT = "https://w3id.org/openbadges/v2"


#: The statuses Open Badges hears as "revoked": no longer held, and suspended (while it lasts).
REVOKED_FOR_BADGES = {
    CertificateStatus.REVOKED,
    CertificateStatus.RELINQUISHED,
    CertificateStatus.SUSPENDED,
}


def is_revoked_for_badges(certificate):
    """Open Badges has one way to say "do not trust this": revoked. No longer held and
    suspended count too."""
    return certificate.status in REVOKED_FOR_BADGES


def revoked_assertion(certificate):
    """What a revoked assertion's URL answers (with HTTP 410)."""
    data = {
        "@context": CONTEXT,
        "id": badge_urls(certificate)["assertion"],
        "type": "Assertion",
        "revoked": True,
    }
    if certificate.status == CertificateStatus.SUSPENDED:
        data["revocationReason"] = "Suspended"
    return data


def assertion(certificate):
    """The hosted Assertion: who (hashed e-mail), which badge, when, until when."""
    urls = badge_urls(certificate)
    data = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls["assertion"],
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": certificate.recipient_salt,
            "identity": certificate.recipient_hash,
        },
        "badge": urls["badge_class"],
        "verification": {"type": "HostedBadge"},
        "issuedOn": certificate.issued_at.isoformat(),
        "evidence": verification_url(certificate),
    }
    if certificate.expires_on:
        data["expires"] = f"{certificate.expires_on.isoformat()}T00:00:00+00:00"
    return data


def badge_image(certificate):
    """A small SVG badge as a data URI, so the badge needs no separately hosted image."""
    svg = render_to_string(
        "certificates/badge.svg",
        {
            "code": certificate.credential_code,
            "accent": certificate.design.get("accent_colour", "#1d5c63"),
            "name": certificate.credential_name,
        },
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def achievement_description(certificate):
    """What the credential is, in a sentence (Open Badges 2.0 BadgeClass and 3.0 Achievement)."""
    return (
        f"Awarded by {certificate.issuer_name} for completing the "
        f"{certificate.programme_title} training programme."
    )


def criteria_narrative(certificate):
    """What a holder did to earn it, in words (both versions' `criteria.narrative`)."""
    return (
        f"Completed every required module of {certificate.programme_title} "
        f"({certificate.hours.normalize():f} hours), passed its knowledge checks and "
        "agreed to the facilitators' code of conduct."
    )


def badge_class(certificate):
    """The BadgeClass: the credential as it was defined when this certificate was issued."""
    urls = badge_urls(certificate)
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": urls["badge_class"],
        "name": certificate.credential_name,
        "description": achievement_description(certificate),
        "image": badge_image(certificate),
        "criteria": {"narrative": criteria_narrative(certificate)},
        "issuer": urls["issuer"],
    }


def issuer_contact():
    """(contact e-mail, description) of the organisation running the site, for issuer profiles."""
    site = Site.objects.filter(is_default_site=True).first()
    organisation = OrganisationSettings.for_site(site) if site else None
    email = (organisation.contact_email if organisation else "") or _from_address()
    about = strip_tags(organisation.about) if organisation and organisation.about else ""
    return email, about


def issuer(certificate):
    """The Issuer profile as named on the certificate."""
    email, about = issuer_contact()
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": badge_urls(certificate)["issuer"],
        "name": certificate.issuer_name,
        "url": certificate.issuer_url or settings.WAGTAILADMIN_BASE_URL,
        "email": email,
        "description": about,
    }


def _from_address():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
