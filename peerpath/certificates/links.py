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
