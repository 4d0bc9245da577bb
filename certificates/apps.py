from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    label = "certificates"
    verbose_name = _("PeerPath certificates")
    default_auto_field = "django.db.models.BigAutoField"
