"""Organisation staff's permissions on sessions: what their editors' group may do, and the
permission policies the admin asks about each session and series.

An organisation's editors group gets add, change, view and delete on sessions and add, change and
view on series when the organisation is set up (`organisations.setup` sends `organisation_set_up`;
`on_organisation_set_up` answers it; saving an organisation runs the set-up again, so existing
organisations get them on their next save). The policies add what a model permission cannot say:
staff act on their own organisations' sessions only (`organisations_for`), a session that was
cancelled or has taken place is no longer edited, one that people booked is cancelled with a
reason rather than deleted, and a series is ended by giving its last date, never deleted here.
"""

from django.contrib.auth.models import Permission
from wagtail.permission_policies import ModelPermissionPolicy

from peerpath.organisations.models import Organisation
from peerpath.organisations.scope import organisations_for
from peerpath.organisations.signals import organisation_set_up

from .choices import SessionStatus

#: Model permissions of an organisation's editors group, by model name.
STAFF_PERMISSIONS = {
    "session": ["add", "change", "view", "delete"],
    "sessionseries": ["add", "change", "view"],
    "signpostingcategory": ["add", "change", "view"],
    "localservice": ["add", "change", "view", "delete"],
    "safeguardingconcern": ["view", "change"],
    "debrief": ["view"],
    "feedbackresponse": ["view", "change"],
}


def staff_permissions():
    """The `Permission` rows an organisation's editors group holds on sessions and series."""
    codenames = [
        f"{action}_{model}" for model, actions in STAFF_PERMISSIONS.items() for action in actions
    ]
    return Permission.objects.filter(
        content_type__app_label="peerpath_meetings", codename__in=codenames
    )


def on_organisation_set_up(sender, organisation, editors_group, **kwargs):
    editors_group.permissions.add(*staff_permissions())


def connect():
    """Give each organisation's staff group its session permissions when it is set up."""
    organisation_set_up.connect(
        on_organisation_set_up,
        sender=Organisation,
        dispatch_uid="peerpath.meetings.permissions.on_organisation_set_up",
    )


def in_scope(user, instance):
    """True if `instance` (a session or series) belongs to one of `user`'s organisations."""
    organisations = organisations_for(user)
    return organisations is None or organisations.filter(pk=instance.organisation_id).exists()


def scope(queryset, user):
    """Rows of `queryset` (sessions or series) of `user`'s organisations; all for superusers."""
    organisations = organisations_for(user)
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
