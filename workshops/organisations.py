"""Setting up an organisation: its workshop index page, editors' group and document collections.

`set_up_organisation` is the only way these are made. It is idempotent: calling it again (after an
edit, or from `load_demo`) creates whatever is missing and changes nothing else, so editors' own
changes to the index page survive.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Site

from .models import Organisation, WorkshopIndexPage, WorkshopLibraryPage

LIBRARY_SLUG = "workshop-library"

# What an organisation's editors may do to pages in their own subtree, and nowhere else.
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
DOCUMENT_PERMISSIONS = ["add_document", "change_document", "choose_document"]


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


def _ensure_index_page(organisation, library):
    index = WorkshopIndexPage.objects.filter(organisation=organisation).first()
    if index is None:
        index = WorkshopIndexPage(
            title=organisation.name, slug=organisation.slug, organisation=organisation
        )
        library.add_child(instance=index)
        index.save_revision().publish()
    return index


def _ensure_collections(organisation):
    root = Collection.get_first_root_node()
    if organisation.collection is None:
        organisation.collection = root.add_child(name=organisation.name)
    if organisation.facilitator_collection is None:
        organisation.facilitator_collection = organisation.collection.add_child(
            name=_("%(name)s — facilitator only") % {"name": organisation.name}
        )
    organisation.save(update_fields=["collection", "facilitator_collection"])


def _ensure_group(organisation):
    name = _("%(name)s editors") % {"name": organisation.name}
    group = organisation.editors_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=name)
        organisation.editors_group = group
        organisation.save(update_fields=["editors_group"])
    elif group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name
        group.save(update_fields=["name"])
    return group


def _grant(group, index, organisation):
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=organisation.collection, permission=permission
        )


@transaction.atomic
def set_up_organisation(organisation):
    """Give `organisation` its index page, collections and an editors' group confined to them.

    Returns the organisation's `WorkshopIndexPage`.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    library = get_or_create_library()
    index = _ensure_index_page(organisation, library)
    _ensure_collections(organisation)
    group = _ensure_group(organisation)
    _grant(group, index, organisation)
    return index


def add_editor(organisation, user):
    """Make `user` one of `organisation`'s editors (setting the organisation up if needed)."""
    if organisation.editors_group_id is None:
        set_up_organisation(organisation)
        organisation.refresh_from_db()
    user.groups.add(organisation.editors_group)
