"""System checks: fail fast when certificates cannot work as configured."""

from django.conf import settings
from django.core.checks import Error, register
from django.urls import NoReverseMatch, reverse


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
