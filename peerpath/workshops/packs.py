"""Printable workshop packs, rendered from HTML with WeasyPrint.

The participant handout is for anyone; the facilitator pack only for those
`access.can_see_facilitator_material` allows (the views check, this module only renders).

A pack is the same for everyone who may have it, so each is rendered once per published version
of its workshop and kept in Django's cache (shared by every process in production) under a key
that changes with anything printed in it: the workshop's published version, the site, documents
(`peerpath.caching.PAGES`), the site's settings (`LAYOUT`) and the organisation's details (an
organisation saved starts a new `PAGES` generation: `forget_organisation`).
"""

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.text import slugify
from weasyprint import CSS, HTML, URLFetcher

from peerpath import caching
from peerpath.models import CrisisSignposting, OrganisationSettings
from peerpath.organisations.models import Organisation

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


def _cached(kind, workshop, site, render):
    """`render()`'s PDF bytes, rendered once per version of everything the pack prints."""
    pages, layout = caching.generations(None, caching.PAGES, caching.LAYOUT)
    published = workshop.last_published_at.timestamp() if workshop.last_published_at else ""
    key = (
        f"peerpath:workshops:pack:{kind}:{workshop.pk}:{workshop.live_revision_id}:{published}:"
        f"{site.pk if site else ''}:{pages}:{layout}"
    )
    pdf = cache.get(key)
    if pdf is None:
        pdf = render()
        cache.set(key, pdf, caching.TIMEOUT)
    return pdf


def participant_handout(workshop, site):
    """PDF bytes: agreements, participant materials and crisis signposting. For anyone."""
    return _cached(
        "handout",
        workshop,
        site,
        lambda: _render("workshops/packs/participant_handout.html", _context(workshop, site)),
    )


def facilitator_pack(workshop, site):
    """PDF bytes: the full session plan with notes, protocol, agreements and all materials."""

    def render():
        context = _context(workshop, site)
        context["facilitator_materials"] = workshop.facilitator_materials.select_related("document")
        return _render("workshops/packs/facilitator_pack.html", context)

    return _cached("facilitator-pack", workshop, site, render)


@receiver(
    post_save, sender=Organisation, dispatch_uid="peerpath.workshops.packs.forget_organisation"
)
def forget_organisation(sender, **kwargs):
    """Packs print their organisation's name and safeguarding contact: an edit must show."""
    caching.bump_now_and_on_commit(caching.PAGES)


def filename(workshop, kind):
    """A download filename such as 'weekly-peer-support-group-facilitator-pack.pdf'."""
    return f"{slugify(workshop.title)[:60] or 'workshop'}-{kind}.pdf"
