"""A file storage with no URL, for files that only views checking who is asking may serve.

Facilitator-only documents, certificate PDFs and continuing-education evidence must never be
reachable at an address a web server answers without asking Django. `FileSystemStorage` cannot
say "no URL": `base_url=None` falls back to MEDIA_URL. This storage's `url()` raises
NotImplementedError, which is how Django's `Storage` says a backend has no URLs, and which
Wagtail's document view answers by serving the file through Django.
"""

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="peerpath.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """Files on the local disk, in a `location` outside MEDIA_ROOT, with no URL."""

    def url(self, name):
        raise NotImplementedError("Files in this storage have no URL: a view serves them.")
