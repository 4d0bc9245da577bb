"""Absolute links printed on certificates and published in Open Badges JSON.

They use WAGTAILADMIN_BASE_URL, the site's public address, so a QR code or badge made by a
background worker points at the same place as one made during a web request.
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path):
    """`path` on the site's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def verification_url(certificate):
    """The absolute URL of the certificate's public verification page (what the QR encodes)."""
    return absolute_url(certificate.get_absolute_url())


def badge_urls(certificate):
    """Absolute ids of the certificate's Open Badges Assertion, BadgeClass and Issuer."""
    code = certificate.display_code
    return {
        "assertion": absolute_url(reverse("certificates:assertion", args=[code])),
        "badge_class": absolute_url(reverse("certificates:badge_class", args=[code])),
        "issuer": absolute_url(reverse("certificates:issuer", args=[code])),
    }


def credential_urls(certificate):
    """Absolute URLs of the certificate's Open Badges 3.0 credential (signed and readable) and of
    its baked badge image."""
    code = certificate.display_code
    return {
        "jwt": absolute_url(reverse("certificates:credential_jwt", args=[code])),
        "json": absolute_url(reverse("certificates:credential_json", args=[code])),
        "badge_png": absolute_url(reverse("certificates:badge_png", args=[code])),
    }


def issuer_urls():
    """Absolute URLs of the site's Open Badges 3.0 issuer profile and its published keys."""
    return {
        "profile": absolute_url(reverse("certificates:issuer_profile")),
        "jwks": absolute_url(reverse("certificates:jwks")),
    }


def status_list_url(purpose, number):
    """The absolute URL of a signed status list credential (`status_list.py`)."""
    return absolute_url(reverse("certificates:status_list", args=[purpose, number]))
