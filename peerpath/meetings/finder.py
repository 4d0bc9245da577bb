"""Find a group: the public list of upcoming sessions, its filters, search and pagination.

`find` runs a fixed number of queries however many sessions there are or a page shows: the
organisations (for the filter), Wagtail's view restrictions (which workshops are public), the
count and the page of sessions with their workshop and organisation joined in. Every filter is a
column of `Session` or of a joined row: the local weekday and start time are stored on the
session, so "Tuesday evenings" is a plain `WHERE` in the session's own time zone.

The rendered list is shared by every visitor (`cached_results`): it is kept per set of filters
and per content generation, and a saved or deleted session or organisation starts a new generation
(as does any page, through `peerpath.caching.PAGES`), so places left are never older than the last
booking. Entries also expire after `CACHE_SECONDS`, which bounds how long a session that has just
ended stays listed, and how long dates added in bulk (`scheduling`, without signals) wait to appear.

The search box is read as plain words (`peerpath.workshops.listing.search_words`); each word must
appear somewhere in the workshop's title or summary, the organisation's name, or the venue.
"""

import hashlib

from django import forms
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peerpath import caching
from peerpath.organisations.models import Organisation
from peerpath.workshops.choices import Audience, Format
from peerpath.workshops.listing import OrganisationFilterMixin, search_words

from .choices import Mode, TimeOfDay
from .models import Session

PER_PAGE = 20
MAX_WORDS = 8
#: The content generation of everything the finder shows of sessions and organisations.
SESSIONS = "meetings-finder"
CACHE_SECONDS = 60
RESULTS_TEMPLATE = "meetings/includes/finder_results.html"

#: Minutes after local midnight at which each time of day starts and ends.
TIME_OF_DAY_MINUTES = {
    TimeOfDay.MORNING: (0, 12 * 60),
    TimeOfDay.AFTERNOON: (12 * 60, 17 * 60),
    TimeOfDay.EVENING: (17 * 60, 24 * 60),
}

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class PlainSelect(forms.Select):
    """A `<select>` written out in Python rather than through the form widget templates.

    Django renders each `<option>` through a template of its own; with an option for every
    organisation that was most of the finder's rendering time. Same HTML, a fraction of the work.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) == chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


def choice_field(label, choices, **kwargs):
    return forms.ChoiceField(
        label=label, required=False, choices=choices, widget=PlainSelect, **kwargs
    )


class FinderForm(OrganisationFilterMixin, forms.Form):
    """The finder's search box and filters, sent as a GET form so plain links work.

    Unknown values are form errors (the page then lists nothing and says why), never 500s.
    """

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    format = choice_field(_("Kind of group"), [("", _("Any kind")), *Format.choices])
    audience = choice_field(_("Who it is for"), [("", _("Anyone")), *Audience.choices])
    day = choice_field(_("Day"), [("", _("Any day")), *WEEKDAYS])
    time = choice_field(_("Time of day"), [("", _("Any time")), *TimeOfDay.choices])
    held = choice_field(_("Held"), [("", _("Online or in person")), *Mode.choices])
    organisation = choice_field(_("Run by"), [])
    # Set by the link on a workshop's page ("all dates of this group"); not shown as a field.
    workshop = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def __init__(self, *args, organisations, **kwargs):
        """`organisations`: an evaluated list, so that rendering the choices does not query."""
        super().__init__(*args, **kwargs)
        self.set_organisations(organisations)


def finder_sessions(now=None):
    """Every upcoming session anyone may book or come to, soonest first, rows ready to show."""
    return (
        Session.objects.upcoming(now)
        .public()
        .select_related("workshop", "organisation")
        .order_by("starts_at", "pk")
    )


def apply_filters(sessions, data):
    """Narrow `sessions` by the finder form's cleaned `data`."""
    if data.get("format"):
        sessions = sessions.filter(workshop__format=data["format"])
    if data.get("audience"):
        sessions = sessions.filter(workshop__audience=data["audience"])
    if data.get("day"):
        sessions = sessions.filter(local_weekday=int(data["day"]))
    if data.get("time"):
        start, end = TIME_OF_DAY_MINUTES[data["time"]]
        sessions = sessions.filter(local_start_minutes__gte=start, local_start_minutes__lt=end)
    if data.get("held"):
        sessions = sessions.filter(mode=data["held"])
    if data.get("organisation"):
        sessions = sessions.filter(organisation=data["organisation"])
    if data.get("workshop"):
        sessions = sessions.filter(workshop_id=data["workshop"])
    return search(sessions, data.get("q", ""))


def search(sessions, text):
    """Sessions where every word of `text` appears in the workshop, organisation or venue."""
    words = search_words(text)[:MAX_WORDS]
    for word in words:
        sessions = sessions.filter(
            Q(workshop__title__icontains=word)
            | Q(workshop__summary__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(venue_name__icontains=word)
            | Q(address__icontains=word)
        )
    if text.strip() and not words:
        # Only symbols or emoji: nothing can match, rather than everything.
        return sessions.none()
    return sessions


def find(params, page_number=None, now=None):
    """Template context for the finder: the form, one page of sessions, totals and links."""
    organisations = list(Organisation.objects.only("pk", "name", "slug").order_by("name"))
    form = FinderForm(params or None, organisations=organisations)
    sessions = finder_sessions(now)
    is_filtered = False
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            sessions = apply_filters(sessions, data)
            is_filtered = any(value for value in data.values())
        else:
            sessions = sessions.none()
            is_filtered = True

    paginator = Paginator(sessions, PER_PAGE)
    try:
        page_obj = paginator.page(page_number or 1)
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)

    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {
        "filter_form": form,
        "sessions": page_obj,
        "paginator": paginator,
        "is_filtered": is_filtered,
        "search_query": chosen.get("q", "").strip(),
        "chosen_organisation": chosen.get("organisation"),
        "chosen_workshop_id": chosen.get("workshop"),
        "querystring_without_page": querystring_without_page(params),
    }


def querystring_without_page(params):
    """The filters as a query string, for the page links (so they keep the filters and only
    them: the list is shared by every visitor with the same filters)."""
    kept = params.copy()
    for name in params:
        if name not in FinderForm.base_fields:
            kept.pop(name)
    return kept.urlencode()


def cached_results(request):
    """The finder's filters and results as HTML for `request`'s query string, rendered once per
    filters, language and content generation and shared by every visitor (nothing in it is
    personal: no names, no booking of the visitor's)."""
    params = request.GET
    generations = caching.generations(request, SESSIONS, caching.PAGES)
    # Only the parameters the finder reads: anything else added to the address (tracking tags,
    # made-up names) neither changes the list nor makes a new cache entry.
    filters = hashlib.sha256(
        "&".join(
            f"{name}={value}"
            for name, value in sorted(params.lists())
            if name in FinderForm.base_fields or name == "page"
        ).encode()
    ).hexdigest()
    key = f"peerpath:finder:{get_language()}:{generations[0]}:{generations[1]}:{filters}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(RESULTS_TEMPLATE, find(params, params.get("page")))
        cache.set(key, html, CACHE_SECONDS)
    return html


@receiver(post_save, sender=Session)
@receiver(post_delete, sender=Session)
@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
def forget_results(sender, **kwargs):
    """A session (its places taken, time, place or status) or an organisation changed."""
    caching.bump_now_and_on_commit(SESSIONS)
