"""The site the browser tests drive: production-like (DEBUG off, real error pages), served by
gunicorn from a throw-away SQLite file, static files straight from the apps via WhiteNoise."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE

DEBUG = False
SECRET_KEY = "e2e-only-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# E-mail goes to files beside the site's database: every gunicorn worker writes there, and the
# browser tests read the confirmation links people would find in their inbox.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(Path(DATABASES["default"]["NAME"]).parent / "mail")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
