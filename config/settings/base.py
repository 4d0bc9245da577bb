"""Settings shared by every environment. Anything secret or host-specific comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default, minimum=0):
    """A whole number from the environment; a clear ImproperlyConfigured for anything else."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}.")
    return int(value)


INSTALLED_APPS = [
    "home",
    "peerpath",
    "peerpath.accounts",
    "peerpath.organisations",
    "peerpath.training",
    "peerpath.certificates",
    "peerpath.workshops",
    "peerpath.meetings",
    "peerpath.coordination",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peerpath.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "peerpath.middleware.RouteCacheMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peerpath.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default. WAL and IMMEDIATE transactions keep concurrent learners from
# failing with "database is locked"; DATABASE_URL switches to PostgreSQL.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
            # Opening a SQLite connection (functions, WAL pragmas) costs more than a page's queries.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        }
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "peerpath",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (certificate rendering, e-mail). Immediate by default; TASKS_BACKEND=rq puts it
# on a Redis queue served on any number of machines by
# `manage.py rqworker default --job-class django_tasks_rq.backend.Job`.
if os.environ.get("TASKS_BACKEND") == "rq":
    INSTALLED_APPS.append("django_rq")
    # Jobs enqueued inside a transaction are queued when it commits (peerpath/tasks.py).
    TASKS = {"default": {"BACKEND": "peerpath.tasks.OnCommitRQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}
    }
    # Jobs run in the worker process: rq's default forks a work horse per job, and each one starts
    # WeasyPrint cold (bench/bulk_issue.py: 0.47x the throughput of plain WeasyPrint processes,
    # 0.89x without the forks). Run workers under a supervisor that restarts them.
    RQ = {"WORKER_CLASS": "rq.worker.SimpleWorker"}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# MEDIA_ROOT holds public files only: image renditions, which a web server may serve at MEDIA_URL.
# Everything else (facilitator-only documents, certificate PDFs, continuing-education evidence,
# original images) is kept outside it, in a storage with no URL, and served by views that check
# who is asking (peerpath.checks warns on `check --deploy` if they could be reached at MEDIA_URL).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", MEDIA_ROOT.parent / "private-media"))
PRIVATE_STORAGE = {
    "BACKEND": "peerpath.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
}

STORAGES = {
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    # MEDIA_ROOT at MEDIA_URL.
    "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILIMAGES_RENDITION_STORAGE = "public"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PeerPath <no-reply@peerpath.localhost>")
# Seconds an SMTP conversation may stall before sending gives up (Django's default: for ever).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)

WAGTAIL_SITE_NAME = "PeerPath"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's default avatars come from Gravatar, which would be sent a hash of every staff
# e-mail address on each admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# A page with a password restriction asks for it in the site's design, not on a bare page.
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "peerpath/password_required.html"  # noqa: S105 — a template name
WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "peerpath/login_required.html"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
# Documents go through Django so that the facilitator-only rule can be enforced on every download.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Reverse proxies in front of the site: throttles and rate limits count by the client address
# they pass on in X-Forwarded-For (peerpath.net). 0: clients connect directly.
PEERPATH_TRUSTED_PROXY_COUNT = env_int("PEERPATH_TRUSTED_PROXY_COUNT", 0)
# Open Badges 3.0 signing keys: kept out of the database (and its dumps). A JSON key set in the
# environment wins over the folder; `manage.py issuer_keys create` writes to the folder.
PEERPATH_ISSUER_KEYS_DIR = Path(
    os.environ.get("PEERPATH_ISSUER_KEYS_DIR", BASE_DIR / "issuer-keys")
)
PEERPATH_ISSUER_KEYS = os.environ.get("PEERPATH_ISSUER_KEYS") or None

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
# Shared computers are common in community settings: sessions last a working day, not two weeks.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
