"""Printable workshop packs, rendered from HTML with WeasyPrint.

The participant handout is for anyone; the facilitator pack only for those
`access.can_see_facilitator_material` allows (the views check, this module only renders).
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify
from weasyprint import CSS, HTML, URLFetcher

from peerpath.models import CrisisSignposting, OrganisationSettings

STYLESHEET = "workshops/css/pack.css"


class _NoFetching(URLFetcher):
    """Packs are self-contained: editor-written content must not make the server fetch URLs."""

    def fetch(self, url, headers=None):
        raise ValueError(f"Workshop packs do not load external resources ({url}).")


def _render(template, context):
    html = render_to_string(template, context)
    with open(finders.find(STYLESHEET), encoding="utf-8") as css:
        stylesheet = CSS(string=css.read(), url_fetcher=_NoFetching())
    return HTML(string=html, url_fetcher=_NoFetching()).write_pdf(stylesheets=[stylesheet])


def _context(workshop, site):
    return {
        "workshop": workshop,
        "organisation": workshop.organisation,
        "issuer": OrganisationSettings.for_site(site) if site else None,
        "crisis": CrisisSignposting.for_site(site) if site else None,
        "participant_materials": workshop.participant_materials.select_related("document"),
    }


def participant_handout(workshop, site):
    """PDF bytes: agreements, participant materials and crisis signposting. For anyone."""
    return _render("workshops/packs/participant_handout.html", _context(workshop, site))


def facilitator_pack(workshop, site):
    """PDF bytes: the full session plan with notes, protocol, agreements and all materials."""
    context = _context(workshop, site)
    context["facilitator_materials"] = workshop.facilitator_materials.select_related("document")
    return _render("workshops/packs/facilitator_pack.html", context)


def filename(workshop, kind):
    """A download filename such as 'weekly-peer-support-group-facilitator-pack.pdf'."""
    return f"{slugify(workshop.title)[:60] or 'workshop'}-{kind}.pdf"
