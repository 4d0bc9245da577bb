from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_account_actions(actions):
    actions.register_action(
        "peerpath.account_erased", _("Erase account"), _("Personal data erased on request")
    )
