"""System checks: fail fast when settings would let documents bypass the facilitator-only rule."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_document_serving(app_configs, **kwargs):
    """Facilitator documents are protected only when Wagtail serves documents through Django."""
    method = getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None)
    # Unset, Wagtail redirects to remote storage URLs, which would bypass the rule too.
    if method != "serve_view":
        return [
            Error(
                "WAGTAILDOCS_SERVE_METHOD must be 'serve_view' for workshops.",
                hint=(
                    "Other methods link straight to storage, so facilitator-only documents "
                    "would be downloadable by anyone with the link."
                ),
                id="peerpath_workshops.E001",
            )
        ]
    return []
