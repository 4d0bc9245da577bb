"""How a certificate looks: the placeholders a template's wording may use, the page set-ups, the
issuer named on it, and the design snapshot frozen onto each certificate at issue (so later edits
to a template never change an issued certificate).

Works on any template-like and certificate-like objects; it imports no model of this app, so the
models, issuing and rendering can all use it.
"""

import datetime

from django.db import models
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from peerpath.models import OrganisationSettings

#: The names a template's wording may use, e.g. "{holder} has completed {programme}".
PLACEHOLDERS = {
    "holder": gettext_lazy("the holder's name"),
    "credential": gettext_lazy("the credential, e.g. Peer Support Group Facilitator"),
    "programme": gettext_lazy("the programme's title"),
    "hours": gettext_lazy("training hours"),
    "issued": gettext_lazy("date of issue"),
    "expires": gettext_lazy("expiry date ('does not expire' when it never does)"),
    "issuer": gettext_lazy("the issuing organisation"),
}

# Printed between the holder's name and the credential, so it reads as one sentence.
DEFAULT_WORDING = (
    "has completed the {programme} training programme ({hours} hours) and is awarded the credential"
)


class PageSize(models.TextChoices):
    A4 = "A4", gettext_lazy("A4")
    LETTER = "letter", gettext_lazy("US Letter")


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", gettext_lazy("Landscape")
    PORTRAIT = "portrait", gettext_lazy("Portrait")


def issuer_for(programme):
    """(name, website) of the organisation that runs the programme's site."""
    site = (programme.get_site() if programme is not None else None) or Site.objects.filter(
        is_default_site=True
    ).first()
    if site is None:
        return "PeerPath", ""
    organisation = OrganisationSettings.for_site(site)
    return organisation.name, organisation.website


def design_snapshot(template, certificate):
    """The template as it looks for this certificate, frozen so later edits never change it."""
    expires = (
        dateformat.format(certificate.expires_on - datetime.timedelta(days=1), "j F Y")
        if certificate.expires_on
        else _("does not expire")
    )
    values = {
        "holder": certificate.holder_name,
        "credential": certificate.credential_name,
        "programme": certificate.programme_title,
        "hours": f"{certificate.hours.normalize():f}",
        "issued": dateformat.format(timezone.localdate(certificate.issued_at), "j F Y"),
        "expires": expires,
        "issuer": certificate.issuer_name,
    }
    return {
        "template_id": template.pk,
        "template_name": template.name,
        "heading": template.heading,
        "wording": template.fill_wording(values),
        "signatory_name": template.signatory_name,
        "signatory_role": template.signatory_role,
        "signature_image_id": template.signature_image_id,
        "logo_id": template.logo_id,
        "accent_colour": template.accent_colour,
        "page_size": template.page_size,
        "orientation": template.orientation,
    }
