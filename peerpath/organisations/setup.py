"""Setting up an organisation: a group for each of its roles, and its document collections.

`set_up_organisation` is the only way these are made. It is idempotent: calling it again (after an
edit, or from `load_demo`) creates whatever is missing and changes nothing else. Apps above this one
give an organisation's roles more by connecting to `signals.organisation_set_up` (the workshops app
adds its index page and its editors' page permissions), in the same transaction.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission

from .models import Organisation
from .roles import GROUP_FIELDS, GROUP_NAMES, Role, grant
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


def _ensure_group(organisation, role):
    field = GROUP_FIELDS[role]
    name = GROUP_NAMES[role] % {"name": organisation.name}
    group = getattr(organisation, field)
    if group is None:
        group, _created = Group.objects.get_or_create(name=name)
        setattr(organisation, field, group)
        organisation.save(update_fields=[field])
    elif group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name
        group.save(update_fields=["name"])
    return group


def _grant(groups, organisation):
    admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for group in groups.values():
        group.permissions.add(admin)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=groups[Role.EDITOR],
            collection=organisation.collection,
            permission=permission,
        )


@transaction.atomic
def set_up_organisation(organisation):
    """Give `organisation` its collections and a group for each role (its editors confined to its
    collections), then let other apps add theirs (`signals.organisation_set_up`). Returns the
    organisation, as now stored."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _ensure_collections(organisation)
    groups = {role: _ensure_group(organisation, role) for role in Role}
    _grant(groups, organisation)
    organisation_set_up.send(
        sender=Organisation,
        organisation=organisation,
        editors_group=groups[Role.EDITOR],
        groups=groups,
    )
    return organisation


def add_staff(organisation, user, role, *, by=None):
    """Give `user` `role` in `organisation` (setting the organisation up first if needed)."""
    if any(getattr(organisation, f"{field}_id") is None for field in GROUP_FIELDS.values()):
        organisation = set_up_organisation(organisation)
    return grant(organisation, user, role, by=by)


def add_editor(organisation, user):
    """Make `user` one of `organisation`'s editors (setting the organisation up if needed)."""
    return add_staff(organisation, user, Role.EDITOR)
