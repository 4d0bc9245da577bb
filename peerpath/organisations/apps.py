from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    """Organisations, their members and staff, and the one rule that scopes admin screens to them."""

    name = "peerpath.organisations"
    label = "peerpath_organisations"
    verbose_name = _("PeerPath organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail import hooks

        from peerpath.scope import register_learner_scope

        from . import privacy, scope

        # The shared core's audit-entry managers (accounts, training, certificates) scope learners
        # by asking this app, which sits above them.
        register_learner_scope(scope.scope_learners)

        # accounts.privacy collects every app's contribution to "download my data" and erasure.
        hooks.register("peerpath_export_personal_data", privacy.export_personal_data)
        hooks.register("peerpath_erase_personal_data", privacy.erase_personal_data)
