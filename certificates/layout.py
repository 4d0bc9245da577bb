"""Keeps the public verification page within its query budget (three, pinned by a test).

The shared layout looks up the Wagtail site and two site settings on every request. The
verification page is the one public page that may be hit hard (every QR scan), so it takes those
from Django's cache (Redis in production, shared by every process) and primes the request with
them, exactly where Wagtail's own per-request caches would have put them. Saving a site or either
setting clears the cached copy everywhere.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from peerpath.models import CrisisSignposting, OrganisationSettings

LAYOUT_SETTINGS = (OrganisationSettings, CrisisSignposting)
CACHE_TIMEOUT = 300
_VERSION_KEY = "peerpath:certificates:layout-version"


def _cache_key(request):
    version = cache.get_or_set(_VERSION_KEY, 1, timeout=None)
    return f"peerpath:certificates:layout:{version}:{request.get_host()}:{request.get_port()}"


def prime_layout(request):
    """Put the site and the layout's settings on `request`, from the cache when possible."""
    cached = cache.get(_cache_key(request))
    if cached is None:
        site = Site.find_for_request(request)
        if site is None:
            return
        cached = {"site": site}
        for model in LAYOUT_SETTINGS:
            cached[model.get_cache_attr_name()] = model.for_site(site)
        # Load the root page now so the menu does not fetch it on every request.
        site.root_page  # noqa: B018
        # Keyed after loading: creating a missing setting row bumps the version.
        cache.set(_cache_key(request), cached, CACHE_TIMEOUT)
    request._wagtail_site = cached["site"]
    for model in LAYOUT_SETTINGS:
        setting = cached[model.get_cache_attr_name()]
        setting._request = request
        setattr(request, model.get_cache_attr_name(), setting)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=OrganisationSettings)
@receiver(post_save, sender=CrisisSignposting)
def _forget_layout(sender, **kwargs):
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, timeout=None)
