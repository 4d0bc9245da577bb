"""Benchmarks: production-like (DEBUG off, no debug toolbars) plus the bare baseline page."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
SECRET_KEY = "bench-only-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench.barepage"]
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
# wrk sends every request from one address: the verification rate limit would measure itself.
PEERPATH_VERIFY_RATE_LIMIT = PEERPATH_HANDOUT_RATE_LIMIT = (10**9, 60)
