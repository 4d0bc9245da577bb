"""Template context for PeerPath's shared layout."""

from django.http import HttpRequest
from wagtail.contrib.settings.context_processors import SettingProxy

from .layout import layout_for


class LayoutSettingProxy(SettingProxy):
    """Wagtail's `settings` template variable, with the layout's settings taken from the cache.

    The first template lookup of PeerPath's settings fills them in from the cached layout (see
    `peerpath.layout`); other settings, and templates that look none up, work as in Wagtail.
    """

    def __missing__(self, app_label):
        module = super().__missing__(app_label)
        if app_label == "peerpath" and isinstance(self.request_or_site, HttpRequest):
            # Wagtail's proxy keeps each setting under its lower-case model name.
            module.update(layout_for(self.request_or_site).settings)
        return module


def settings(request):
    """Replaces `wagtail.contrib.settings.context_processors.settings`."""
    return {"settings": LayoutSettingProxy(request)}
