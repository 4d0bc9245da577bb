"""Browsing workshops: filters, search and pagination for both listing pages.

`browse` takes the listing page (a `models.WorkshopListingMixin`, which knows which workshops it
lists) and runs a fixed number of queries however many workshops a page shows: the count and the
page of workshops, the organisations (for the filter and the cards), and Wagtail's view
restrictions check.

The search box is read as plain words, never as search-engine syntax: see `search_words`.
"""

import unicodedata

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _
from wagtail.search.query import PlainText

from peerpath.organisations.models import Organisation

from .choices import Audience, Format

PER_PAGE = 12


class OrganisationFilterMixin:
    """A filter form's `organisation` field: a plain choice over an evaluated list of
    organisations by slug, cleaned to the organisation itself.

    A plain choice field rather than a ModelChoiceField, so that rendering the form does not query
    the organisations a second time. Used by this listing and by the sessions finder.
    """

    def set_organisations(self, organisations):
        self.organisation_by_slug = {
            organisation.slug: organisation for organisation in organisations
        }
        self.fields["organisation"].choices = [
            ("", _("Any organisation")),
            *((organisation.slug, organisation.name) for organisation in organisations),
        ]

    def clean_organisation(self):
        slug = self.cleaned_data["organisation"]
        return self.organisation_by_slug[slug] if slug else None


class WorkshopFilterForm(OrganisationFilterMixin, forms.Form):
    """The listing's search box and filters. Unknown values are form errors, not 500s."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Any format")), *Format.choices],
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("Any audience")), *Audience.choices],
    )
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        """`organisations`: an evaluated list to filter by, or None for no organisation filter."""
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.set_organisations(organisations)


def browse(listing_page, request):
    """Template context for a listing page: the filter form, a page of workshops, and totals."""
    organisations = None
    if listing_page.lists_organisations:
        organisations = list(
            Organisation.objects.filter(index_page__live=True)
            .select_related("index_page", "logo")
            .order_by("name")
        )
    form = WorkshopFilterForm(request.GET or None, organisations=organisations)
    workshops = listing_page.visible_workshops()
    query = ""
    is_filtered = form.is_bound
    if form.is_valid():
        data = form.cleaned_data
        if data["format"]:
            workshops = workshops.filter(format=data["format"])
        if data["audience"]:
            workshops = workshops.filter(audience=data["audience"])
        if data.get("organisation"):
            workshops = workshops.descendant_of(data["organisation"].index_page)
        query = data["q"].strip()
        is_filtered = bool(query) or any(value for name, value in data.items() if name != "q")
    elif form.is_bound:
        workshops = workshops.none()
    results = workshops
    if query:
        words = search_words(query)
        # Text with no words in it (only quotes, symbols or emoji) matches nothing, as Wagtail's
        # `parse_query_string` does by default, rather than everything.
        results = workshops.search(PlainText(" ".join(words))) if words else workshops.none()

    paginator = Paginator(results, PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)

    organisation_by_path = _organisations_by_index_path(listing_page, organisations)
    steplen = listing_page.steplen
    for workshop in page_obj.object_list:
        workshop.listing_organisation = organisation_by_path.get(workshop.path[:-steplen])

    return {
        "filter_form": form,
        "workshops": page_obj,
        "paginator": paginator,
        "search_query": query,
        "is_filtered": is_filtered,
        "querystring_without_page": _querystring_without_page(request),
    }


def search_words(text):
    """The words of what a visitor typed: runs of letters, marks and digits; all else separates.

    Wagtail's database backends put each whitespace-separated term of a `PlainText` query into
    the engine's own query language: SQLite's FTS5 wraps it in double quotes without escaping
    one inside it, so a term holding an odd number of `"` is an "unterminated string" error (a
    500; wagtail/wagtail#13227). Punctuation and symbols are separators when pages are indexed
    (FTS5's unicode61 tokenizer, PostgreSQL's parser), so dropping them from the query keeps
    every word that could match and leaves nothing (`"`, `*`, `^`, `(`, `:`...) that either
    engine could read as syntax. Words such as `AND` or `NEAR` stay words: both backends quote
    each term.
    """
    cleaned = "".join(
        character if unicodedata.category(character)[0] in "LMN" else " " for character in text
    )
    return cleaned.split()


def _organisations_by_index_path(listing_page, organisations):
    """Map each organisation index page's tree path to its organisation (one query)."""
    if not listing_page.lists_organisations:  # one organisation's index page
        return {listing_page.path: listing_page.organisation}
    if organisations is None:
        return {}
    return {organisation.index_page.path: organisation for organisation in organisations}


def _querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
