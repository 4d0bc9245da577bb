from django.apps import AppConfig


class BarePageConfig(AppConfig):
    """The baseline: a Wagtail page with nothing of PeerPath in it, only used by the benchmarks."""

    name = "bench.barepage"
    label = "barepage"
    default_auto_field = "django.db.models.BigAutoField"
