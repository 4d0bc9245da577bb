from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    label = "training"
    verbose_name = _("PeerPath training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            privacy,
            progress,  # noqa: F401 - keeps enrolment summaries in step with modules
            requirements,
        )

        # Continuing education may complete full certification; its evidence files go with it.
        requirements.connect()
        privacy.connect()
