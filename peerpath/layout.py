"""The shared layout's data, cached: the Wagtail site, its layout settings and its main menu.

Every PeerPath page shows the organisation's name, the crisis signposting and the main menu. Looking
them up costs four queries a request; `prime_layout` takes them from Django's cache instead and puts
them on the request exactly where Wagtail's own per-request caches would have (`Site.find_for_request`,
`BaseSiteSetting.for_request`), so the templates and Wagtail's routing use them unchanged.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.models import Site

from . import caching
from .models import CrisisSignposting, OrganisationSettings

LAYOUT_SETTINGS = (OrganisationSettings, CrisisSignposting)


class MenuItem:
    """One main menu entry: the title and URL of a page, without the page."""

    def __init__(self, title, url):
        self.title = title
        self.url = url


def _cache_key(request):
    layout, pages = caching.generations(request, caching.LAYOUT, caching.PAGES)
    return f"peerpath:layout:{layout}:{pages}:{request.get_host()}:{request.get_port()}"


def _load(request):
    site = Site.find_for_request(request)
    if site is None:
        return None
    cached = {"site": site}
    for model in LAYOUT_SETTINGS:
        cached[model.get_cache_attr_name()] = model.for_site(site)
    pages = site.root_page.get_children().live().in_menu().specific(defer=True)
    cached["menu"] = [MenuItem(page.title, page.get_url(request)) for page in pages]
    return cached


def prime_layout(request):
    """Put the site, the layout's settings and the main menu on `request`, cached when possible."""
    if hasattr(request, "_peerpath_menu"):
        return
    key = _cache_key(request)
    cached = cache.get(key)
    if cached is None:
        cached = _load(request)
        if cached is None:
            request._peerpath_menu = []
            return
        # Keyed again after loading: creating a missing setting row starts a new generation.
        request.__dict__.pop("_peerpath_generations", None)
        cache.set(_cache_key(request), cached, caching.TIMEOUT)
    request._wagtail_site = cached["site"]
    for model in LAYOUT_SETTINGS:
        setting = cached[model.get_cache_attr_name()]
        setting._request = request
        setattr(request, model.get_cache_attr_name(), setting)
    request._peerpath_menu = cached["menu"]


def main_menu(request):
    """The main menu for this request's site: live pages below the root shown in menus."""
    prime_layout(request)
    return request._peerpath_menu


def layout_fragment(request, template_name, context, per_visitor=False):
    """Render a part of the layout once per layout version and cache the HTML.

    For parts that show only the site, its settings and its menu (the footer). A `per_visitor` part
    (the header: the signed-in person's name, a log-out form with its CSRF token) is cached for
    anonymous visitors only, for each menu entry it can mark as the current page.
    """
    if per_visitor and request.user.is_authenticated:
        return render_to_string(template_name, context.flatten(), request)
    current = next(
        (item.url for item in main_menu(request) if request.path[:-1] == item.url[:-1]), ""
    )
    key = f"{_cache_key(request)}:{template_name}:{current}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, context.flatten(), request)
        cache.set(key, html, caching.TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered from a template
