from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "peerpath.workshops"
    label = "peerpath_workshops"
    verbose_name = _("PeerPath workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail import hooks

        # Importing checks registers them; importing packs connects its receiver.
        from . import checks, organisation_pages, packs, privacy, requirements  # noqa: F401

        # Setting an organisation up gives it an index page of workshops and page permissions.
        organisation_pages.connect()

        # Sessions in the facilitation log count towards certification requirements.
        requirements.connect()

        # Registered here rather than in wagtail_hooks.py so the privacy contract sits beside the
        # app's configuration; accounts.privacy collects every app's contribution.
        hooks.register("peerpath_export_personal_data", privacy.export_personal_data)
        hooks.register("peerpath_erase_personal_data", privacy.erase_personal_data)
