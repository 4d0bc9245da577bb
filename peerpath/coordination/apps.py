from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """What an organisation's coordinators do: its people, cohorts and invitations, awards on
    recognition of prior learning, and its impact report. The top layer: it reads training,
    certificates and sessions, and nothing below imports it."""

    name = "peerpath.coordination"
    label = "peerpath_coordination"
    verbose_name = _("PeerPath coordination")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import privacy

        # accounts.privacy collects every app's contribution to "download my data" and erasure.
        privacy.connect()
