"""What workshops add to an organisation when it is set up: the site-wide workshop library (if
missing), the organisation's `WorkshopIndexPage`, and its editors' permissions on that subtree.

`peerpath.organisations.setup.set_up_organisation` makes the collections and the editors' group, then sends
`organisation_set_up`; `on_organisation_set_up` receives it (connected in `apps.py`), in the same
transaction. Idempotent like the set-up itself: editors' own changes to the index page survive.
"""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, Site

from peerpath.organisations.models import Organisation
from peerpath.organisations.signals import organisation_set_up

from .models import WorkshopIndexPage, WorkshopLibraryPage

LIBRARY_SLUG = "workshop-library"

# What an organisation's editors may do to pages in their own subtree, and nowhere else.
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def get_or_create_library():
    """The site-wide workshop library, created below the default site's root page if missing."""
    library = WorkshopLibraryPage.objects.first()
    if library is not None:
        return library
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise RuntimeError("PeerPath needs a default Wagtail site before organisations are added.")
    library = WorkshopLibraryPage(
        title=_("Workshops and groups"),
        slug=LIBRARY_SLUG,
        intro=_(
            "<p>Session plans and materials for peer support groups, workshops and mentoring, "
            "published by the organisations that run them.</p>"
        ),
        show_in_menus=True,
    )
    site.root_page.add_child(instance=library)
    library.save_revision().publish()
    return library


def ensure_index_page(organisation):
    """`organisation`'s workshop index page, created below the library if missing."""
    index = WorkshopIndexPage.objects.filter(organisation=organisation).first()
    if index is None:
        index = WorkshopIndexPage(
            title=organisation.name, slug=organisation.slug, organisation=organisation
        )
        get_or_create_library().add_child(instance=index)
        index.save_revision().publish()
    return index


def grant_page_permissions(group, index):
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)


def on_organisation_set_up(sender, organisation, editors_group, **kwargs):
    grant_page_permissions(editors_group, ensure_index_page(organisation))


def connect():
    organisation_set_up.connect(
        on_organisation_set_up,
        sender=Organisation,
        dispatch_uid="peerpath.workshops.organisation_pages.on_organisation_set_up",
    )
