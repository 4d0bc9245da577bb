"""Setting up an organisation: its editors' group and document collections.

`set_up_organisation` is the only way these are made. It is idempotent: calling it again (after an
edit, or from `load_demo`) creates whatever is missing and changes nothing else. Apps above this one
give an organisation more by connecting to `signals.organisation_set_up` (the workshops app adds
its index page and its editors' page permissions), in the same transaction.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission

from .models import Organisation
from .signals import organisation_set_up

# What an organisation's editors may do to documents in their own collections, and nowhere else.
DOCUMENT_PERMISSIONS = ["add_document", "change_document", "choose_document"]


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


def _grant(group, organisation):
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for permission in Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=organisation.collection, permission=permission
        )


@transaction.atomic
def set_up_organisation(organisation):
    """Give `organisation` its collections and an editors' group confined to them, then let other
    apps add theirs (`signals.organisation_set_up`). Returns the organisation, as now stored."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _ensure_collections(organisation)
    group = _ensure_group(organisation)
    _grant(group, organisation)
    organisation_set_up.send(sender=Organisation, organisation=organisation, editors_group=group)
    return organisation


def add_editor(organisation, user):
    """Make `user` one of `organisation`'s editors (setting the organisation up if needed)."""
    if organisation.editors_group_id is None:
        set_up_organisation(organisation)
        organisation.refresh_from_db()
    user.groups.add(organisation.editors_group)
