"""A route cache for Wagtail pages: one cheap query to find the page instead of two per URL segment.

Wagtail routes a URL by walking down from the site's root page, one child lookup and one
`specific` lookup per segment. Once Wagtail has routed a path, we remember the page it found, as
loaded from the database, with the content generation (`peerpath.caching.PAGES`) it was loaded in;
while that generation is current (no page saved, moved or deleted since), the next request for that
path takes the page from the cache and hands it to Wagtail's own `serve` view (as
`request._wagtail_route_for_request`, where `Page.route_for_request` keeps its answer). Everything
after routing is Wagtail's: view restrictions (privacy), `before_serve_page` hooks, `serve()`.

Only PeerPath's own page types are remembered (`PEERPATH_ROUTE_CACHE_APPS`, by app label): the
other pages of a site PeerPath is installed into are routed by Wagtail as before.

A remembered route is used only while it still holds, which is also checked against the database on
every request (one query on one indexed table): the page must still be live and its `url_path` must
still be the site root's plus this path (moving or renaming the page or any ancestor changes it).
Routes are remembered only where Wagtail's default `route()` found the page all the way down (no
routable pages, no extra arguments): then the `url_path` decides the route as the walk would.

The route also remembers the page's view restrictions (its own and its ancestors', two queries
otherwise), tagged with the content generation they were read in (`peerpath.caching.PAGES`, which
every saved or deleted restriction starts anew, as every moved page does). Wagtail's privacy check
(the `on_serve_page` hook) still decides: it asks the page for its restrictions and gets these while
their generation is current, and each restriction still checks the request (session password,
log-in, the visitor's groups, read afresh) itself. With a stale generation Wagtail routes the
request itself and the route is remembered anew.
"""

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
    return f"peerpath:route-and-restrictions:{host}:{get_language()}:{'/'.join(_components(path))}"


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
    generation, page, restrictions = remembered
    if generation != caching.generations(request, caching.PAGES)[0]:
        return
    still_there = Page.objects.filter(
        pk=page.pk, live=True, url_path=_expected_url_path(site, path)
    ).exists()
    if not still_there:
        return
    # Wagtail's privacy hook calls `page.get_view_restrictions()`: answer from the route.
    page.get_view_restrictions = lambda: restrictions
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
    # The generation is the one read when this request started: a page or restriction saved since
    # then makes it stale at once. The page is stored as loaded, not as serving it left it.
    (generation,) = caching.generations(request, caching.PAGES)
    page = type(route.page)._default_manager.get(pk=route.page.pk)
    restrictions = list(page.get_view_restrictions())
    cache.set(_cache_key(request, path), (generation, page, restrictions), caching.TIMEOUT)
