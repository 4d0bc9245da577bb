"""Wagtail integration: where audit entries about accounts are kept, the audit action for erasure,
and the admin screens that erase on request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from . import privacy
from .admin_views import EraseAccountView, ErasureSearchView
from .models import AccountLogEntry


@hooks.register("register_log_actions")
def register_account_actions(actions):
    # Entries about accounts go to AccountLogEntry, scoped by organisation in the Site history
    # report, instead of Wagtail's generic ModelLogEntry, which any staff with a user
    # permission would see.
    actions.register_model(get_user_model(), AccountLogEntry)
    actions.register_action(
        "peerpath.account_erased", _("Erase account"), _("Personal data erased on request")
    )


@hooks.register("register_admin_urls")
def register_erasure_urls():
    return [
        path("erasure/", ErasureSearchView.as_view(), name="accounts_erasure"),
        path("erasure/<int:user_id>/", EraseAccountView.as_view(), name="accounts_erase"),
    ]


@hooks.register("register_permissions")
def register_erasure_permission():
    return Permission.objects.filter(
        content_type__app_label="peerpath_accounts", codename="erase_personal_data"
    )


class ErasureMenuItem(MenuItem):
    def is_shown(self, request):
        return privacy.can_erase_others(request.user)


@hooks.register("register_settings_menu_item")
def erasure_menu_item():
    return ErasureMenuItem(
        _("Erase personal data"), reverse("accounts_erasure"), icon_name="bin", order=610
    )


@hooks.register("register_user_listing_buttons")
def erase_button(user, request_user):
    """ "Erase personal data" in the More menu of each account on Wagtail's user listing."""
    if privacy.can_erase_others(request_user) and not privacy.erasure_refusal(request_user, user):
        yield Button(
            _("Erase personal data"),
            reverse("accounts_erase", args=[user.pk]),
            icon_name="bin",
            priority=90,
        )
