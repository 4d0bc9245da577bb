"""The coordinators' admin: a *People* menu of their organisation's people, cohorts, invitations,
awards on prior learning and impact report. Each screen's module registers its own menu item with
the `register_coordination_menu_item` hook and its own views; this module gathers them."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

# Imported for their hooks: each registers its views and its item in the People menu.
from . import (  # noqa: F401
    awards_admin,
    cohorts_admin,
    dashboard,
    impact_admin,
    invitations_admin,
    people_admin,
)
from .access import can_coordinate

coordination_menu = Menu(
    register_hook_name="register_coordination_menu_item", construct_hook_name=None
)


class CoordinationMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return can_coordinate(request.user) and super().is_shown(request)


@hooks.register("register_admin_menu_item")
def register_coordination_menu():
    return CoordinationMenuItem(
        _("People"), coordination_menu, name="people", icon_name="group", order=240
    )
