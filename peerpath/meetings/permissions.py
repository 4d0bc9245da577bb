"""Organisation staff's permissions on sessions and safeguarding, by role, and the permission
policies the admin asks about each session, series, concern, category and local service.

When an organisation is set up (`organisations.setup` sends `organisation_set_up` with a group
per role; `on_organisation_set_up` answers it; saving an organisation runs the set-up again):

- its editors get `STAFF_PERMISSIONS`, as before roles existed;
- its coordinators get the same: they run the organisation's sessions, and its concerns too;
- its safeguarding leads get `SAFEGUARDING_PERMISSIONS`: the concerns, the debriefs they come
  from, and the signposting lists, to read.

Migration 0005 gives organisations that existed before coordinators the same.

The policies add what a model permission cannot say: staff act on their own organisations' rows
only, in the roles that may act on each model (`ROLES`: sessions and series for
`roles.SESSIONS`, concerns and signposting for `roles.SAFEGUARDING`, by `organisations.scope`), a
session that was cancelled or has taken place is no longer edited, one that people booked is
cancelled with a reason rather than deleted, and a series is ended by giving its last date, never
deleted here.
"""

from django.contrib.auth.models import Permission
from wagtail.permission_policies import ModelPermissionPolicy

from peerpath.organisations.models import Organisation
from peerpath.organisations.roles import SAFEGUARDING, SESSIONS, Role
from peerpath.organisations.scope import organisations_for
from peerpath.organisations.signals import organisation_set_up

from .choices import SessionStatus

#: Model permissions of an organisation's editors and coordinators groups, by model name.
STAFF_PERMISSIONS = {
    "session": ["add", "change", "view", "delete"],
    "sessionseries": ["add", "change", "view"],
    "signpostingcategory": ["add", "change", "view"],
    "localservice": ["add", "change", "view", "delete"],
    "safeguardingconcern": ["view", "change"],
    "debrief": ["view"],
    "feedbackresponse": ["view", "change"],
}


#: Model permissions of an organisation's safeguarding leads group, by model name.
SAFEGUARDING_PERMISSIONS = {
    "safeguardingconcern": ["view", "change"],
    "debrief": ["view"],
    "signpostingcategory": ["view"],
    "localservice": ["view"],
}

#: Which roles act on an organisation's rows of each model (by model name); others: SESSIONS.
ROLES = {
    "safeguardingconcern": SAFEGUARDING,
    "signpostingcategory": SAFEGUARDING,
    "localservice": SAFEGUARDING,
}


def permissions(by_model):
    """The `Permission` rows named by `by_model` ({model name: [action, ...]})."""
    codenames = [f"{action}_{model}" for model, actions in by_model.items() for action in actions]
    return Permission.objects.filter(
        content_type__app_label="peerpath_meetings", codename__in=codenames
    )


def staff_permissions():
    """The `Permission` rows an organisation's editors group holds on sessions and series."""
    return permissions(STAFF_PERMISSIONS)


def on_organisation_set_up(sender, organisation, editors_group, groups=None, **kwargs):
    staff = list(staff_permissions())
    editors_group.permissions.add(*staff)
    if groups:
        groups[Role.COORDINATOR].permissions.add(*staff)
        groups[Role.SAFEGUARDING_LEAD].permissions.add(*permissions(SAFEGUARDING_PERMISSIONS))


def connect():
    """Give each organisation's staff group its session permissions when it is set up."""
    organisation_set_up.connect(
        on_organisation_set_up,
        sender=Organisation,
        dispatch_uid="peerpath.meetings.permissions.on_organisation_set_up",
    )


def roles_for(model):
    """The roles that act on an organisation's rows of `model` (`ROLES`)."""
    return ROLES.get(model._meta.model_name, SESSIONS)


def in_scope(user, instance, roles=None):
    """True if `instance` (a session, series, concern…) belongs to one of the organisations where
    `user` holds one of `roles` (by default, those that act on its model)."""
    organisations = organisations_for(user, roles or roles_for(type(instance)))
    return organisations is None or organisations.filter(pk=instance.organisation_id).exists()


def scope(queryset, user, roles=None):
    """Rows of `queryset` (sessions, series, concerns…) of the organisations where `user` holds
    one of `roles` (by default, those that act on its model); all for superusers."""
    organisations = organisations_for(user, roles or roles_for(queryset.model))
    if organisations is None:
        return queryset
    return queryset.filter(organisation__in=organisations)


class OrganisationScopedPolicy(ModelPermissionPolicy):
    """Model permissions, limited to the rows of the user's own organisations."""

    def allows(self, action, instance):
        """What the instance's state allows, whoever asks."""
        return True

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.allows(action, instance)
            and in_scope(user, instance)
        )

    def instances_user_has_permission_for(self, user, action):
        return scope(super().instances_user_has_permission_for(user, action), user)

    def instances_user_has_any_permission_for(self, user, actions):
        return scope(super().instances_user_has_any_permission_for(user, actions), user)


class SessionPermissionPolicy(OrganisationScopedPolicy):
    """Only a scheduled session is edited or cancelled; only one nobody booked is deleted."""

    def allows(self, action, instance):
        if action in {"change", "delete"} and instance.status != SessionStatus.SCHEDULED:
            return False
        if action == "delete":
            # Listings annotate `has_bookings`, saving a query per row.
            has_bookings = getattr(instance, "has_bookings", None)
            if has_bookings is None:
                has_bookings = instance.bookings.exists()
            return not has_bookings
        return True


class SeriesPermissionPolicy(OrganisationScopedPolicy):
    """A series is ended by giving its last date: its sessions, booked or not, stay on record."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)
