"""Settings for the test suite: fast hashing, in-memory e-mail, media in a temporary folder."""

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, PRIVATE_STORAGE, REDIS_URL, STORAGES

DEBUG = False
SECRET_KEY = "test-secret-key-peerpath"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PEERPATH_SMS_BACKEND = "peerpath.sms.LocmemBackend"  # text messages collect in peerpath.sms.outbox
MEDIA_ROOT = tempfile.mkdtemp(prefix="peerpath-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="peerpath-test-private-")
PEERPATH_ISSUER_KEYS_DIR = tempfile.mkdtemp(prefix="peerpath-test-issuer-keys-")
PEERPATH_ISSUER_KEYS = None
PRIVATE_STORAGE = {**PRIVATE_STORAGE, "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}
STORAGES = {**STORAGES, "default": PRIVATE_STORAGE, "private": PRIVATE_STORAGE}
WAGTAILADMIN_BASE_URL = "http://testserver"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database lives in memory unless a test needs real concurrency (it then uses its own).
    DATABASES["default"]["TEST"] = {"NAME": ""}

# Under pytest-xdist every worker gets its own Redis database, so one worker's cache.clear() (the
# rate-limit and throttling tests use it) cannot reset another's counters.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    _parts = urlsplit(REDIS_URL)
    _base = int(_parts.path.strip("/") or 0)
    CACHES["default"]["LOCATION"] = urlunsplit(
        _parts._replace(path=f"/{(_base + int(_worker[2:])) % 16}")
    )
