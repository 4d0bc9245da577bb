"""A route cache for Wagtail pages: one query to find the page instead of two per URL segment.

Wagtail routes a URL by walking down from the site's root page, one child lookup and one
`specific` lookup per segment. Once Wagtail has routed a path, we remember which page it found; the
next request for that path loads that page in one query and hands it to Wagtail's own `serve` view
(as `request._wagtail_route_for_request`, where `Page.route_for_request` keeps its answer). Everything
after routing is Wagtail's: view restrictions (privacy), `before_serve_page` hooks, `serve()`.

Only PeerPath's own page types are remembered (`PEERPATH_ROUTE_CACHE_APPS`, by app label): the
other pages of a site PeerPath is installed into are routed by Wagtail as before.

A remembered route is used only while it still holds, which is checked against the database on every
request, so it needs no invalidation: the page must still be live and its `url_path` must still be
the site root's plus this path (moving or renaming the page or any ancestor changes it). Routes are
remembered only where Wagtail's default `route()` found the page all the way down (no routable
pages, no extra arguments): then the `url_path` decides the route exactly as the walk would.
"""

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import caching
from .layout import prime_layout

DEFAULT_APPS = ("home", "training", "workshops")
_FROM_CACHE = "_peerpath_route_from_cache"


def _components(path):
    return [component for component in path.split("/") if component]


def _cache_key(request, path):
    host = f"{request.get_host()}:{request.get_port()}"
    return f"peerpath:route:{host}:{get_language()}:{'/'.join(_components(path))}"


def _expected_url_path(site, path):
    return site.root_page.url_path + "".join(f"{component}/" for component in _components(path))


def prime_route(request, path):
    """Route `request` from the cache when the remembered page still answers to `path`."""
    remembered = cache.get(_cache_key(request, path))
    if remembered is None:
        return
    prime_layout(request)
    site = Site.find_for_request(request)
    if site is None:
        return
    label, pk = remembered
    try:
        model = apps.get_model(label)
    except LookupError:
        return
    page = model._default_manager.filter(pk=pk, live=True).first()
    if page is None or page.url_path != _expected_url_path(site, path):
        return
    request._wagtail_route_for_request = RouteResult(page)
    setattr(request, _FROM_CACHE, True)


def _walked_by_default_route(page, root):
    """Whether every page from `root` down to `page` routed with Wagtail's default `route()`."""
    while page is not None:
        if type(page).route is not Page.route:
            return False
        if page.pk == root.pk:
            return True
        page = getattr(page, "_cached_parent_obj", None)
    return False


def remember_route(request, path):
    """After Wagtail routed `request`, remember the page it found for the next request."""
    route = request.__dict__.get("_wagtail_route_for_request")
    if route is None or getattr(request, _FROM_CACHE, False) or route.args or route.kwargs:
        return
    cached_apps = getattr(settings, "PEERPATH_ROUTE_CACHE_APPS", DEFAULT_APPS)
    if route.page._meta.app_label not in cached_apps:
        return
    site = Site.find_for_request(request)
    if site is None or not _walked_by_default_route(route.page, site.root_page):
        return
    cache.set(
        _cache_key(request, path),
        (route.page._meta.label_lower, route.page.pk),
        caching.TIMEOUT,
    )
