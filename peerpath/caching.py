"""Generations: how PeerPath's cached layout, routes and page bodies learn that content changed.

A generation is a token kept in Django's cache (Redis in production, shared by every process).
Cache keys include the generations they depend on; a change bumps the generation, so every process
stops using the old entries at once and they expire on their own. Entries also carry a timeout,
which bounds how stale a per-process cache (local memory, the embedded default) can be.

A change is announced when it is saved and again when its transaction commits: a process that read
the old rows between the two (they were not yet committed) does not keep them under the new token.

- `PAGES`: any page saved, moved or deleted, a document saved or deleted (menus, links and
  document links in rendered bodies), or a page view restriction saved or deleted (the
  restrictions the route cache remembers). `training.structure` also starts it for a new
  code-of-conduct version and changed prerequisites.
- `LAYOUT`: a site or a layout setting saved or deleted.
- `GRANTS`: anyone's groups or own permissions changed (`peerpath.access.has_admin_grants`).
"""

import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.documents.models import AbstractDocument
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from .models import CrisisSignposting, OrganisationSettings

PAGES = "pages"
LAYOUT = "layout"
GRANTS = "grants"
TIMEOUT = 300


def _key(name):
    return f"peerpath:generation:{name}"


# Where a request keeps the tokens it has read (an attribute of our own, named as ours).
REQUEST_ATTRIBUTE = "peerpath_generations"


def generations(request, *names):
    """The current token of each generation in `names`, read once per request (`request` may be
    None outside a request: then they are read each time)."""
    known = {} if request is None else getattr(request, REQUEST_ATTRIBUTE, None)
    if known is None:
        known = {}
        setattr(request, REQUEST_ATTRIBUTE, known)
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


def forget_generations(request):
    """Read the generations afresh for the rest of `request` (after it started one itself)."""
    if hasattr(request, REQUEST_ATTRIBUTE):
        delattr(request, REQUEST_ATTRIBUTE)


def bump(name):
    """Start a new generation: entries keyed on the old one are no longer read."""
    cache.set(_key(name), time.time_ns(), timeout=None)


def bump_now_and_on_commit(name):
    """`bump` at once and again when the current transaction commits (see the module docstring)."""
    bump(name)
    transaction.on_commit(lambda: bump(name))


@receiver(post_save)
@receiver(post_delete)
def _forget_pages(sender, instance, **kwargs):
    if isinstance(instance, Page | AbstractDocument | PageViewRestriction):
        bump_now_and_on_commit(PAGES)


@receiver(post_page_move)
def _forget_moved_pages(sender, **kwargs):
    bump_now_and_on_commit(PAGES)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=OrganisationSettings)
@receiver(post_save, sender=CrisisSignposting)
def _forget_layout(sender, **kwargs):
    bump(LAYOUT)


_MEMBERSHIPS = (get_user_model().groups.through, get_user_model().user_permissions.through)


def _forget_grants(sender, **kwargs):
    bump_now_and_on_commit(GRANTS)


for _through in _MEMBERSHIPS:
    # `add()` and `remove()` send m2m_changed; rows created, or deleted with their group or
    # permission, send their own signals.
    m2m_changed.connect(_forget_grants, sender=_through, dispatch_uid=f"peerpath.grants.{_through}")
    post_save.connect(
        _forget_grants, sender=_through, dispatch_uid=f"peerpath.grants.save.{_through}"
    )
    post_delete.connect(
        _forget_grants, sender=_through, dispatch_uid=f"peerpath.grants.delete.{_through}"
    )
