"""Wagtail admin registration for sessions: the "Sessions" menu (sessions and series of the user's
organisations), their permission policies, and the home panel of sessions whose roster needs
attention."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry, register_permission_policy

from .admin_views import SessionsGroup
from .choices import Role
from .models import (
    LocalService,
    RosterAssignment,
    SafeguardingConcern,
    Session,
    SessionSeries,
    SignpostingCategory,
)
from .permissions import (
    OrganisationScopedPolicy,
    SeriesPermissionPolicy,
    SessionPermissionPolicy,
    scope,
)
from .safeguarding_admin import (
    ConcernPermissionPolicy,
    OpenConcernsPanel,
    SafeguardingGroup,
    SignpostingCategoryPermissionPolicy,
)

# --- The admin home panel -----------------------------------------------------------------------

#: Sessions this close without a lead are shown even before the daily check flags them.
NO_LEAD_WARNING_DAYS = 7


def flagged_sessions(user, now=None):
    """Upcoming sessions of `user`'s organisations whose roster needs attention: a problem the
    roster check recorded, or no lead within `NO_LEAD_WARNING_DAYS`."""
    now = now or timezone.now()
    has_lead = Exists(RosterAssignment.objects.filter(session=OuterRef("pk"), role=Role.LEAD))
    return (
        scope(Session.objects.upcoming(now), user)
        .alias(has_lead=has_lead)
        .filter(
            ~Q(roster_problem="")
            | Q(has_lead=False, starts_at__lte=now + timedelta(days=NO_LEAD_WARNING_DAYS))
        )
        .select_related("workshop")
        .order_by("starts_at", "pk")
    )


class FlaggedSessionsPanel(Component):
    """Staff's upcoming sessions with a roster problem, each linking to its edit view; nothing
    at all when there are none."""

    name = "flagged_sessions"
    order = 80
    template_name = "meetings/admin/dashboard_panel.html"
    limit = 20

    def __init__(self, user):
        self.user = user

    @cached_property
    def sessions(self):
        return list(flagged_sessions(self.user)[: self.limit])

    def render_html(self, parent_context=None):
        if not self.sessions:
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        return {"sessions": self.sessions}


register_permission_policy(Session, SessionPermissionPolicy(Session))
register_permission_policy(SessionSeries, SeriesPermissionPolicy(SessionSeries))


@hooks.register("register_admin_viewset")
def register_sessions_menu():
    return SessionsGroup()


@hooks.register("construct_homepage_panels")
def add_flagged_sessions_panel(request, panels):
    if policy_registry.get_by_type(Session).user_has_any_permission(
        request.user, ["change", "view"]
    ):
        panels.append(FlaggedSessionsPanel(request.user))


# --- Safeguarding: concerns raised in debriefs, signposting categories, local services ----------

register_permission_policy(SafeguardingConcern, ConcernPermissionPolicy(SafeguardingConcern))
register_permission_policy(
    SignpostingCategory, SignpostingCategoryPermissionPolicy(SignpostingCategory)
)
register_permission_policy(LocalService, OrganisationScopedPolicy(LocalService))


@hooks.register("register_admin_viewset")
def register_safeguarding_menu():
    return SafeguardingGroup()


@hooks.register("construct_homepage_panels")
def add_open_concerns_panel(request, panels):
    if policy_registry.get_by_type(SafeguardingConcern).user_has_permission(request.user, "view"):
        panels.append(OpenConcernsPanel(request.user))
