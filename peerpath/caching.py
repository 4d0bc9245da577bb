"""Generations: how PeerPath's cached layout, routes and page bodies learn that content changed.

A generation is a token kept in Django's cache (Redis in production, shared by every process).
Cache keys include the generations they depend on; a change bumps the generation, so every process
stops using the old entries at once and they expire on their own. Entries also carry a timeout,
which bounds how stale a per-process cache (local memory, the embedded default) can be.

- `PAGES`: any page saved, moved or deleted, or a document saved or deleted (menus, links and
  document links in rendered bodies).
- `LAYOUT`: a site or a layout setting saved or deleted.
"""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents.models import AbstractDocument
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

from .models import CrisisSignposting, OrganisationSettings

PAGES = "pages"
LAYOUT = "layout"
TIMEOUT = 300


def _key(name):
    return f"peerpath:generation:{name}"


def generations(request, *names):
    """The current token of each generation in `names`, read once per request."""
    known = request.__dict__.setdefault("_peerpath_generations", {})
    missing = [name for name in names if name not in known]
    if missing:
        found = cache.get_many([_key(name) for name in missing])
        for name in missing:
            token = found.get(_key(name))
            if token is None:
                # add() so that two processes starting a generation agree on its token.
                cache.add(_key(name), time.time_ns(), timeout=None)
                token = cache.get(_key(name))
            known[name] = token
    return tuple(known[name] for name in names)


def bump(name):
    """Start a new generation: entries keyed on the old one are no longer read."""
    cache.set(_key(name), time.time_ns(), timeout=None)


@receiver(post_save)
@receiver(post_delete)
def _forget_pages(sender, instance, **kwargs):
    if isinstance(instance, Page | AbstractDocument):
        bump(PAGES)


@receiver(post_page_move)
def _forget_moved_pages(sender, **kwargs):
    bump(PAGES)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=OrganisationSettings)
@receiver(post_save, sender=CrisisSignposting)
def _forget_layout(sender, **kwargs):
    bump(LAYOUT)
