"""System checks: fail fast when certificates cannot work as configured."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from .keys import published_keys


@register()
def check_base_url(app_configs, **kwargs):
    """QR codes on certificates need an absolute base URL that verifiers can reach."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if not base.startswith(("http://", "https://")):
        return [
            Error(
                "WAGTAILADMIN_BASE_URL must be an absolute http(s) URL.",
                hint="Certificates print a QR code of the verification page; set it to the "
                "public address of this site, e.g. https://training.example.org.",
                id="peerpath_certificates.E001",
            )
        ]
    return []


@register()
def check_urls_mounted(app_configs, **kwargs):
    """The certificates URLs must be included, under the namespace "certificates"."""
    try:
        reverse("certificates:verify_form")
    except NoReverseMatch:
        return [
            Error(
                "The certificates URLs are not included.",
                hint='Add path("certificates/", include("peerpath.certificates.urls")) to your URLconf.',
                id="peerpath_certificates.E002",
            )
        ]
    return []


@register()
def check_issuer_keys(app_configs, **kwargs):
    """Open Badges 3.0 credentials need a signing key; a broken key setting is an error."""
    try:
        published = published_keys()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="peerpath_certificates.E003")]
    if not published:
        return [
            Warning(
                "No Open Badges 3.0 signing key: credentials and status lists cannot be served.",
                hint="Run `manage.py issuer_keys create` (or set PEERPATH_ISSUER_KEYS).",
                id="peerpath_certificates.W003",
            )
        ]
    return []
