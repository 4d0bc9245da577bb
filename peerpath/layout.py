"""The shared layout's data, cached: the layout's settings and the main menu of the request's site.

Every PeerPath page shows the organisation's name, the crisis signposting and the main menu. Looking
them up costs four queries a request (the site among them); `layout_for` takes them from Django's
cache instead, keyed by the host and port and by the content generations they depend on
(`peerpath.caching.LAYOUT`, which every saved or deleted site or layout setting starts anew, and
`PAGES`). Only on a miss is the site looked up, as Wagtail does (`Site.find_for_request`, which
Wagtail keeps for the rest of the request).

Only plain values are cached: each setting's field values (made into an instance again with
`Model.from_db`, as Django loads rows) and each menu entry's title and URL. Templates read the
settings through `peerpath.context_processors.settings`.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.models import Site

from . import caching
from .models import CrisisSignposting, OrganisationSettings

LAYOUT_SETTINGS = (OrganisationSettings, CrisisSignposting)
# Where a request keeps its layout once read (an attribute of our own, named as ours).
REQUEST_ATTRIBUTE = "peerpath_layout"


class MenuItem:
    """One main menu entry: the title and URL of a page, without the page."""

    def __init__(self, title, url):
        self.title = title
        self.url = url


class Layout:
    """What the shared layout shows for one site: its layout settings and its main menu."""

    def __init__(self, settings=None, menu=(), site_id=None):
        self.settings = settings or {}  # model name (lower case) -> setting instance
        self.menu = list(menu)
        self.site_id = site_id  # the site Wagtail finds for this host and port (None: no site)


def _cache_key(request):
    layout, pages = caching.generations(request, caching.LAYOUT, caching.PAGES)
    return f"peerpath:layout:{layout}:{pages}:{request.get_host()}:{request.get_port()}"


def _field_values(instance):
    fields = type(instance)._meta.concrete_fields
    return [field.attname for field in fields], [getattr(instance, f.attname) for f in fields]


def _load(request, site):
    """The layout's settings (as field names and values) and menu (titles and URLs)."""
    settings = {
        model._meta.model_name: _field_values(model.for_site(site)) for model in LAYOUT_SETTINGS
    }
    pages = site.root_page.get_children().live().in_menu().specific(defer=True)
    menu = [(page.title, page.get_url(request)) for page in pages]
    return {"settings": settings, "menu": menu, "site_id": site.pk}


def _layout(cached):
    models = {model._meta.model_name: model for model in LAYOUT_SETTINGS}
    return Layout(
        settings={
            name: models[name].from_db(None, field_names, values)
            for name, (field_names, values) in cached["settings"].items()
            if name in models
        },
        menu=[MenuItem(title, url) for title, url in cached["menu"]],
        site_id=cached.get("site_id"),
    )


def layout_for(request):
    """The layout of `request`'s site, from the cache when possible (read once per request)."""
    layout = getattr(request, REQUEST_ATTRIBUTE, None)
    if layout is not None:
        return layout
    cached = cache.get(_cache_key(request))
    if cached is None:
        site = Site.find_for_request(request)
        cached = _load(request, site) if site is not None else {"settings": {}, "menu": []}
        # Keyed again after loading: creating a missing setting row starts a new generation.
        caching.forget_generations(request)
        cache.set(_cache_key(request), cached, caching.TIMEOUT)
    layout = _layout(cached)
    setattr(request, REQUEST_ATTRIBUTE, layout)
    return layout


def page_url(request, page):
    """`page`'s URL as Wagtail's `pageurl` tag gives it (`page.get_url(request)`): relative when
    the page belongs to the request's site or there is only one site, otherwise with the root URL
    of the page's site. The request's site comes from the cached layout, so unlike Wagtail's
    `Site.find_for_request`, it costs no query; None if the page is not routable."""
    parts = page.get_url_parts(request)
    if parts is None or parts[1] is None and parts[2] is None:
        return None
    site_id, root_url, page_path = parts
    if site_id == layout_for(request).site_id:
        return page_path
    if len({root_path.site_id for root_path in Site.get_site_root_paths()}) == 1:
        return page_path
    return root_url + page_path


def main_menu(request):
    """The main menu for this request's site: live pages below the root shown in menus."""
    return layout_for(request).menu


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
