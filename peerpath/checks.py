"""System checks for the shared core: misconfigurations that would quietly undo a protection.

The deploy checks (`manage.py check --deploy`) look at what only matters in production: the
client address behind a reverse proxy, avatars fetched from a third party, and files that must
only be served by views that check who is asking.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import InvalidStorageError, default_storage, storages
from wagtail.documents import get_document_model

from .net import trusted_proxy_count

# What Wagtail uses when WAGTAIL_GRAVATAR_PROVIDER_URL is not set.
WAGTAIL_DEFAULT_GRAVATAR = "//www.gravatar.com/avatar"
PROBE_NAME = "peerpath-check/file.pdf"


@register(Tags.security)
def check_trusted_proxy_count(app_configs, **kwargs):
    try:
        trusted_proxy_count()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="peerpath.E001")]
    return []


@register(Tags.security, deploy=True)
def check_proxy_without_trusted_count(app_configs, **kwargs):
    """Settings that say a reverse proxy is in front, while client addresses ignore it."""
    behind_proxy = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None)) or bool(
        getattr(settings, "USE_X_FORWARDED_HOST", False)
    )
    try:
        proxies = trusted_proxy_count()
    except ImproperlyConfigured:
        return []  # peerpath.E001 says so
    if behind_proxy and proxies == 0:
        return [
            Warning(
                "A reverse proxy is configured (SECURE_PROXY_SSL_HEADER or USE_X_FORWARDED_HOST) "
                "but PEERPATH_TRUSTED_PROXY_COUNT is 0.",
                hint="Every visitor then has the proxy's address: one login throttle and one "
                "verification rate limit for the whole world. Set PEERPATH_TRUSTED_PROXY_COUNT "
                "to the number of proxies in front of the site (usually 1).",
                id="peerpath.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_gravatar(app_configs, **kwargs):
    """Gravatar would receive a hash of every staff member's e-mail address."""
    provider = getattr(settings, "WAGTAIL_GRAVATAR_PROVIDER_URL", WAGTAIL_DEFAULT_GRAVATAR)
    if provider is not None:
        return [
            Warning(
                f"Wagtail admin avatars are fetched from {provider}.",
                hint="Each admin page then sends a hash of staff e-mail addresses to that "
                "server. Set WAGTAIL_GRAVATAR_PROVIDER_URL = None (PeerPath's settings do), or "
                "silence this check if the provider is your own.",
                id="peerpath.W002",
            )
        ]
    return []


def _document_storage():
    if not apps.is_installed("wagtail.documents"):
        return None
    # The model's `file` attribute is Django's file descriptor, which names its field.
    return get_document_model().file.field.storage


def protected_storages():
    """(description, storage) of the storages whose files PeerPath serves only through views
    that check who is asking: Wagtail documents, the default storage (certificate PDFs) and
    STORAGES["private"] when configured."""
    found = []
    documents = _document_storage()
    if documents is not None:
        found.append(("Wagtail documents' storage", documents))
    found.append(("the default storage (certificate PDFs)", default_storage))
    try:
        found.append(('STORAGES["private"]', storages["private"]))
    except InvalidStorageError:
        pass
    return found


def served_from_media(storage):
    """True when a storage keeps files under MEDIA_ROOT or hands out URLs under MEDIA_URL, where
    the web server serves public files to anyone who has the address."""
    media_root = getattr(settings, "MEDIA_ROOT", "")
    try:
        local = Path(storage.path(PROBE_NAME)).resolve()
    except NotImplementedError:
        local = None
    if local is not None and media_root and Path(media_root).resolve() in local.parents:
        return True
    try:
        url = storage.url(PROBE_NAME)
    except (NotImplementedError, ValueError):
        return False
    media_path = urlsplit(getattr(settings, "MEDIA_URL", "") or "").path
    return bool(media_path) and urlsplit(url).path.startswith(media_path)


@register(Tags.security, deploy=True)
def check_protected_files_not_in_media(app_configs, **kwargs):
    """Facilitator-only documents and certificate PDFs must not be downloadable from MEDIA_URL."""
    return [
        Warning(
            f"Files in {description} are reachable under MEDIA_ROOT / MEDIA_URL.",
            hint="A web server serving MEDIA_URL would hand out facilitator-only documents and "
            "certificate PDFs to anyone with the address, bypassing the checks of the views "
            'that serve them. Store them with "peerpath.storage.PrivateFileSystemStorage" '
            "outside MEDIA_ROOT (as config.settings does) and serve MEDIA_ROOT for image "
            "renditions only (WAGTAILIMAGES_RENDITION_STORAGE).",
            id="peerpath.W003",
        )
        for description, storage in protected_storages()
        if served_from_media(storage)
    ]
