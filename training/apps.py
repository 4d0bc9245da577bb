from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    label = "training"
    verbose_name = _("PeerPath training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            progress,  # noqa: F401 - keeps enrolment summaries in step with modules
            requirements,
        )

        requirements.connect()
