"""Wagtail admin registration for sessions: the "Sessions" menu (sessions and series of the user's
organisations), their permission policies, and the home panel of sessions whose roster needs
attention."""

from wagtail import hooks
from wagtail.permissions import policy_registry, register_permission_policy

from .admin_views import FlaggedSessionsPanel, SessionsGroup
from .models import Session, SessionSeries
from .permissions import SeriesPermissionPolicy, SessionPermissionPolicy

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
