from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "peerpath.accounts"
    label = "peerpath_accounts"
    verbose_name = _("PeerPath accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import privacy

        pre_delete.connect(
            privacy.erase_before_delete,
            sender=get_user_model(),
            dispatch_uid="peerpath_accounts.erase_before_delete",
        )
