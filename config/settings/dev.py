"""Local development and the demo site: DEBUG on, SQLite, console e-mail."""

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = "django-insecure-peerpath-development-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
