"""Links to a certificate: absolute ones printed on certificates, published in Open Badges JSON and
handed to other sites (LinkedIn), and site-relative ones for this site's own pages.

Absolute links use WAGTAILADMIN_BASE_URL, the site's public address, so a QR code or badge made by
a background worker points at the same place as one made during a web request.
"""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse

from .hosts import url_host
from .status import CertificateStatus

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


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
    paths = certificate_paths(certificate)
    return {
        "jwt": absolute_url(paths["credential_jwt"]),
        "json": absolute_url(paths["credential_json"]),
        "badge_png": absolute_url(paths["badge_png"]),
    }


def issuer_paths():
    """The paths of the issuer profile and key set, the same on every PeerPath site."""
    return {
        "profile": reverse("certificates:issuer_profile"),
        "jwks": reverse("certificates:jwks"),
    }


def own_host():
    """This site's public host (with its port, if any), as `hosts.url_host` writes it."""
    return url_host(settings.WAGTAILADMIN_BASE_URL)


def issuer_urls():
    """Absolute URLs of the site's Open Badges 3.0 issuer profile and its published keys."""
    return {name: absolute_url(path) for name, path in issuer_paths().items()}


def status_list_url(purpose, number):
    """The absolute URL of a signed status list credential (`status_list.py`)."""
    return absolute_url(reverse("certificates:status_list", args=[purpose, number]))


def certificate_paths(certificate):
    """Site-relative links to the certificate's machine-readable forms, for this site's own pages
    (a relative link keeps a download on the address the visitor is using)."""
    code = certificate.display_code
    return {
        "credential_jwt": reverse("certificates:credential_jwt", args=[code]),
        "credential_json": reverse("certificates:credential_json", args=[code]),
        "badge_png": reverse("certificates:badge_png", args=[code]),
        "assertion": reverse("certificates:assertion", args=[code]),
    }


#: The statuses under which a holder is offered "Add to LinkedIn profile". An expired or lapsed
#: certificate may stay on a profile as past training (LinkedIn shows its expiry, and the
#: verification link says it has expired); a revoked, given-up, replaced or suspended one may not,
#: because the profile would claim something the holder does not hold today.
PROFILE_STATUSES = frozenset(
    {
        CertificateStatus.VALID,
        CertificateStatus.PROVISIONAL,
        CertificateStatus.LAPSED,
        CertificateStatus.EXPIRED,
    }
)


def can_add_to_profile(certificate):
    """True when the holder is offered "Add to LinkedIn profile" for this certificate."""
    return certificate.status in PROFILE_STATUSES


def linkedin_url(certificate):
    """LinkedIn's form for adding a certification to a profile, filled in for this certificate.

    A plain link (no API key): LinkedIn opens its form with the name, organisation, issue month,
    expiry month, certificate number and verification URL filled in, and the holder saves it.

    The expiry month is that of `valid_until`, the last day the certificate is valid, rather than
    `expires_on`, the first day it is not. LinkedIn shows only a month ("Expires Feb 2027") and
    readers take the certificate as good until then; the two months differ only when `expires_on`
    is the first of a month, and `expires_on`'s month would then claim a month in which the
    certificate is no longer valid. The verification page the link leads to says "Valid until"
    the same `valid_until` day.
    """
    issued = certificate.issued_on
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.credential_name,
        "organizationName": certificate.issuer_name,
        "issueYear": issued.year,
        "issueMonth": issued.month,
    }
    last_day = certificate.valid_until
    if last_day is not None:
        params["expirationYear"] = last_day.year
        params["expirationMonth"] = last_day.month
    params["certUrl"] = verification_url(certificate)
    params["certId"] = certificate.number
    return f"{LINKEDIN_ADD_URL}?{urlencode(params, quote_via=quote)}"


def holder_links(certificate):
    """What *My training* offers for one certificate: its verification URL, its machine-readable
    forms (site-relative, with `download` variants) and the LinkedIn link, or None when the
    certificate's status does not allow one (`PROFILE_STATUSES`). No queries: the certificate
    must carry its status (`with_status()`)."""
    paths = certificate_paths(certificate)
    return {
        **paths,
        "credential_jwt_download": f"{paths['credential_jwt']}?download",
        "credential_json_download": f"{paths['credential_json']}?download",
        "badge_png_download": f"{paths['badge_png']}?download",
        "verify": verification_url(certificate),
        "linkedin": linkedin_url(certificate) if can_add_to_profile(certificate) else None,
    }


def verification_page_links(certificate):
    """What the public verification page offers software and link previews: site-relative links
    to the machine-readable forms and the issuer's keys, and the absolute URLs that Open Graph
    and `<link rel="alternate">` need."""
    urls = credential_urls(certificate)
    return {
        **certificate_paths(certificate),
        "issuer_keys": issuer_paths()["jwks"],
        "page_url": verification_url(certificate),
        "credential_jwt_url": urls["jwt"],
        "image_url": urls["badge_png"],
    }
