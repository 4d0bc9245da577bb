from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "peerpath.training"
    label = "peerpath_training"
    verbose_name = _("PeerPath training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import page_views, privacy, receivers

        # The pages ask the progress tracker what each visitor sees through their page views.
        page_views.register()
        # Summaries, cached structures and full certification follow what changes.
        receivers.connect()
        # Continuing-education evidence files go with their activities.
        privacy.connect()
