from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerPathConfig(AppConfig):
    """What every PeerPath app shares: the page layout, static files and site-wide settings."""

    name = "peerpath"
    label = "peerpath"
    verbose_name = _("PeerPath")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import caching, checks  # noqa: F401 - cache invalidation signals, system checks
