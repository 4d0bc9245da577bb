"""Wagtail admin registration for organisations: the organisations and their members."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import (
    LearnerChooserViewSet,
    MembershipDeleteView,
    MembershipEditView,
    MembershipFilterSet,
    MembershipForm,
    MembershipHistoryView,
    MembershipIndexView,
    MembershipPermissionPolicy,
    MembershipUsageView,
    OrganisationCreateView,
    OrganisationEditView,
    OrganisationIndexView,
)
from .models import Organisation, OrganisationMembership
from .roles import GRANTED, REMOVED, Role
from .roles_admin import RemoveRoleView, StaffRolesIndexView, StaffRolesMenuItem, StaffRolesView


class OrganisationViewSet(SnippetViewSet):
    """Organisations. Deleting one that still has workshops is refused by the workshops app
    (its `before_delete_snippet` hook)."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "slug", "website", "safeguarding_contact_name"]
    search_fields = ["name"]
    index_view_class = OrganisationIndexView
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView


register_snippet(OrganisationViewSet)


learner_chooser_viewset = LearnerChooserViewSet("learner_chooser", url_prefix="learner-chooser")


@hooks.register("register_admin_viewset")
def register_learner_chooser():
    return learner_chooser_viewset


class OrganisationMembershipViewSet(SnippetViewSet):
    """Which organisation each learner belongs to: its staff see their progress and certificates.
    A coordinator sees, adds and removes the memberships of their own organisations only
    (`admin_views.memberships_for`); superusers all."""

    model = OrganisationMembership
    icon = "user"
    menu_label = _("Organisation members")
    add_to_admin_menu = False
    list_display = ["user", "organisation", "added_at"]
    filterset_class = MembershipFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    index_view_class = MembershipIndexView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    history_view_class = MembershipHistoryView
    usage_view_class = MembershipUsageView
    copy_view_enabled = False
    # A searchable chooser: a select of every account would not load with thousands of learners.
    edit_handler = ObjectList(
        [
            FieldPanel("user", widget=learner_chooser_viewset.widget_class),
            # A plain select of the user's own organisations (`MembershipForm`), not the
            # snippet chooser, which would list every organisation.
            FieldPanel("organisation", widget=forms.Select),
        ],
        base_form_class=MembershipForm,
    )


register_permission_policy(
    OrganisationMembership, MembershipPermissionPolicy(OrganisationMembership)
)
register_snippet(OrganisationMembershipViewSet)


def _role_formatter(label, message):
    class RoleLogFormatter(LogFormatter):
        def format_message(self, log_entry):
            data = log_entry.data or {}
            try:
                role = Role(data.get("role")).label
            except ValueError:
                role = data.get("role", "")
            return message % {"role": role, "account": data.get("account", "")}

    RoleLogFormatter.label = label
    return RoleLogFormatter


@hooks.register("register_log_actions")
def register_role_actions(actions):
    """Grants and removals of staff roles, in the organisation's history (`roles.py`). The
    account is named by its id: the history outlives names, which erasure removes."""
    actions.register_action(GRANTED)(
        _role_formatter(_("Grant a role"), _("Role granted: %(role)s, to account %(account)s"))
    )
    actions.register_action(REMOVED)(
        _role_formatter(_("Remove a role"), _("Role removed: %(role)s, from account %(account)s"))
    )


@hooks.register("register_admin_urls")
def register_staff_roles_urls():
    """The *Staff roles* screens (`roles_admin.py`)."""
    return [
        path(
            "organisations/roles/", StaffRolesIndexView.as_view(), name="organisation_roles_index"
        ),
        path("organisations/<int:pk>/roles/", StaffRolesView.as_view(), name="organisation_roles"),
        path(
            "organisations/<int:pk>/roles/<str:role>/<int:account>/remove/",
            RemoveRoleView.as_view(),
            name="organisation_role_remove",
        ),
    ]


@hooks.register("register_coordination_menu_item")
def staff_roles_menu_item():
    """In the People menu, for superusers and coordinators."""
    return StaffRolesMenuItem(
        _("Staff roles"),
        reverse("organisation_roles_index"),
        name="staff-roles",
        icon_name="group",
        order=900,
    )
