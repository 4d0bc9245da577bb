"""A file storage with no URL, for files that only views checking who is asking may serve.

Facilitator-only documents, certificate PDFs and continuing-education evidence must never be
reachable at an address a web server answers without asking Django. `FileSystemStorage` cannot
say "no URL": `base_url=None` falls back to MEDIA_URL. This storage's `url()` raises
NotImplementedError, which is how Django's `Storage` says a backend has no URLs, and which
Wagtail's document view answers by serving the file through Django.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages
from django.utils.deconstruct import deconstructible


@deconstructible(path="peerpath.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """Files on the local disk, in a `location` outside MEDIA_ROOT, with no URL."""

    def url(self, name):
        raise NotImplementedError("Files in this storage have no URL: a view serves them.")


def private_storage():
    """Storage for files only their owner may download (served by a view, never by URL).

    `STORAGES["private"]` when the site configures it; otherwise a folder beside MEDIA_ROOT
    (`PRIVATE_MEDIA_ROOT` if set), never under it, so that no web server serves it by mistake.
    """
    try:
        return storages["private"]
    except InvalidStorageError:
        return fallback_private_storage()


@functools.cache
def fallback_private_storage():
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (
        Path(settings.MEDIA_ROOT or ".").resolve().parent / "private-media"
    )
    return PrivateFileSystemStorage(location=root)
