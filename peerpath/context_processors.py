"""Template context for PeerPath's shared layout."""

from wagtail.contrib.settings.context_processors import SettingProxy

from .layout import prime_layout


class LayoutSettingProxy(SettingProxy):
    """Wagtail's `settings` template variable, with the layout's settings taken from the cache.

    The first template lookup of a setting primes the request with the cached layout (see
    `peerpath.layout`); templates that never look one up cost nothing.
    """

    def __missing__(self, app_label):
        prime_layout(self.request_or_site)
        return super().__missing__(app_label)


def settings(request):
    """Replaces `wagtail.contrib.settings.context_processors.settings`."""
    return {"settings": LayoutSettingProxy(request)}
