import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class CertificatesConfig(AppConfig):
    name = "peerpath.certificates"
    label = "peerpath_certificates"
    verbose_name = _("PeerPath certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from peerpath.accounts.signals import email_confirmed
        from peerpath.training.signals import (
            full_certification_requirements_met,
            programme_completed,
        )

        from . import (
            checks,  # noqa: F401 - system checks
            role_permissions,
        )
        from .receivers import (
            on_email_confirmed,
            on_full_certification_requirements_met,
            on_programme_completed,
        )

        programme_completed.connect(
            on_programme_completed, dispatch_uid="peerpath_certificates.issue_on_completion"
        )
        email_confirmed.connect(
            on_email_confirmed, dispatch_uid="peerpath_certificates.issue_pending"
        )
        full_certification_requirements_met.connect(
            on_full_certification_requirements_met,
            dispatch_uid="peerpath_certificates.confirm_full",
        )
        role_permissions.connect()

        from .pdf import harfbuzz_subset_available

        if not harfbuzz_subset_available():
            logger.warning(
                "HarfBuzz's subsetter (libharfbuzz-subset0) is not installed: certificate PDFs "
                "will embed whole fonts and be several megabytes each. Install it with "
                "`apt-get install libharfbuzz-subset0` (or see scripts/system-packages.sh)."
            )
