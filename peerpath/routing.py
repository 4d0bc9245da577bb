"""A route cache for Wagtail pages: one small query serves the page instead of two per URL segment.

Wagtail routes a URL by walking down from the site's root page, one child lookup and one `specific`
lookup per segment. Once Wagtail has routed a path to one of PeerPath's pages (its answer is
`Page.route_for_request`), we remember which page it found: its id, content type and `url_path`,
whether any view restriction applies to it (its own or an ancestor's), and its field values as
plain data (never a pickled page). The entry is keyed on the host and port and on the content
generations it was read in (`peerpath.caching.PAGES`: a page, document or view restriction saved,
moved or deleted; `LAYOUT`: a site saved or deleted). While they are current, the next request for
that path rebuilds the page from those values with `Model.from_db` (as Django loads a row) and
serves it as Wagtail's `serve` view does: the `on_serve_page` hooks, the `before_serve_page` hooks,
then `page.serve()`.

Wagtail's privacy check (its `check_view_restrictions` hook) asks the database for the page's
restrictions (two queries). When the route found none, and no restriction has been saved or deleted
since (which starts a new `PAGES` generation), that hook is left out of the chain for this request:
there is nothing for it to check. A page with restrictions always goes through Wagtail's own check,
and if Wagtail ever renames the hook, it simply runs every time.

Only PeerPath's own page types are remembered (`PEERPATH_ROUTE_CACHE_APPS`, by app label): the
other pages of a site PeerPath is installed into are routed by Wagtail as before.

A remembered route is used only while it still holds, which one query on the page's own row checks
on every request: the page must still be live, with the published version it was remembered with,
and its `url_path` must still be the site root's plus this path (moving or renaming the page or any
ancestor changes it). That also holds across processes that do not share a cache. Routes are
remembered only where Wagtail's default `route()` found the page all the way down (no routable
pages, no extra arguments): then the `url_path` decides the route as the walk would.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from wagtail import hooks, wagtail_hooks
from wagtail.blocks import StreamValue
from wagtail.models import Page, Site
from wagtail.views import serve_chain

from . import caching
from .conf import setting

# Wagtail's privacy check, if it still has this name (otherwise it is never left out).
WAGTAIL_PRIVACY_HOOK = getattr(wagtail_hooks, "check_view_restrictions", None)


class RememberedRoute:
    """A page found by Wagtail's routing, as the next request for its path needs it."""

    def __init__(self, page, restricted):
        self.page = page
        self.restricted = restricted


def _components(path):
    return [component for component in path.split("/") if component]


def _cache_key(request, path):
    pages, layout = caching.generations(request, caching.PAGES, caching.LAYOUT)
    host = f"{request.get_host()}:{request.get_port()}"
    route = "/".join(_components(path))
    return f"peerpath:route:{pages}:{layout}:{host}:{get_language()}:{route}"


def _expected_url_path(site, path):
    return site.root_page.url_path + "".join(f"{component}/" for component in _components(path))


def _field_values(page):
    """The page's concrete field names (attnames) and values, as plain data for the cache: a
    StreamField keeps its raw JSON-ish data, made into a (lazy) stream again when loaded."""
    names, values = [], []
    for field in type(page)._meta.concrete_fields:
        value = getattr(page, field.attname)
        if isinstance(value, StreamValue):
            value = field.get_prep_value(value)
        names.append(field.attname)
        values.append(value)
    return names, values


def _still_holds(page_id, url_path, live_revision_id):
    """Whether the remembered page is still live at this `url_path` with the same published
    version: one query on the page's own row, which also catches a change made by another
    process whose cache this one does not share."""
    return Page.objects.filter(
        pk=page_id, live=True, url_path=url_path, live_revision_id=live_revision_id
    ).exists()


def remembered_route(request, path):
    """The route remembered for `path` on this host, if its page still answers to `path`.

    The page is rebuilt from its remembered field values with `Model.from_db`, as Django loads a
    row; the one query only checks that the row still matches them."""
    remembered = cache.get(_cache_key(request, path))
    if remembered is None:
        return None
    page_id, content_type_id, url_path, restricted, names, values = remembered
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    fields = dict(zip(names, values, strict=True))
    if not _still_holds(page_id, url_path, fields.get("live_revision_id")):
        return None
    return RememberedRoute(model.from_db(model.objects.db, names, values), restricted)


def serve_route(request, route):
    """Serve a remembered route exactly as `wagtail.views.serve` serves a routed page with no
    extra arguments: the `on_serve_page` hooks wrap `page.serve()`, the `before_serve_page` hooks
    may answer first. Wagtail's privacy check is left out only for an unrestricted page."""
    page, args, kwargs = route.page, (), {}
    on_serve_chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        if fn is WAGTAIL_PRIVACY_HOOK and not route.restricted:
            continue
        on_serve_chain = fn(on_serve_chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return on_serve_chain(page, request, args, kwargs)


def _ancestors(page, site):
    return Page.objects.ancestor_of(page, inclusive=True).filter(depth__gte=site.root_page.depth)


def _routed_by_default(page, site):
    """Whether every page from the site's root down to `page` routes with Wagtail's default
    `route()` (one query, only when a route is remembered)."""
    for content_type_id in _ancestors(page, site).values_list("content_type_id", flat=True):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or model.route is not Page.route:
            return False
    return True


def remember_route(request, path):
    """After Wagtail served `path`, remember the page it routed to for the next request."""
    site = Site.find_for_request(request)
    if site is None:
        return
    # Wagtail keeps its route on the request: asking again costs nothing.
    route = Page.route_for_request(request, path)
    if route is None or route.args or route.kwargs:
        return
    page = route.page
    cached_apps = setting("ROUTE_CACHE_APPS")
    if page._meta.app_label not in cached_apps or not page.live:
        return
    url_path = _expected_url_path(site, path)
    if page.url_path != url_path or not _routed_by_default(page, site):
        return
    # Wagtail's own answer, which resolves aliases among the ancestors too.
    restricted = page.get_view_restrictions().exists()
    # Keyed on the generations read when this request started: a page, restriction or site saved
    # since then makes the entry stale at once.
    names, values = _field_values(page)
    content_type_id = ContentType.objects.get_for_model(page).pk
    remembered = (page.pk, content_type_id, url_path, restricted, names, values)
    cache.set(_cache_key(request, path), remembered, caching.TIMEOUT)
