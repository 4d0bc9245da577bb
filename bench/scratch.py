"""A throw-away benchmark site: a fresh database (config.settings.bench), migrated, with a default
site and a superuser's logged-in test client. Django is set up here, before any model is imported:
the caller imports its models after calling `admin_client()`.

The database is SQLite in a temporary folder unless `DATABASE_URL` names a PostgreSQL database
whose name starts with `peerpath_bench` (so that no real database is ever touched): that one is
made afresh (dropped first if a previous run left it) and dropped when the script ends, unless
`keep` (to look at its query plans afterwards).
"""

import atexit
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

THROW_AWAY_PREFIX = "peerpath_bench"


def fresh_postgres(url, keep=False):
    """Create the database `url` names, dropping a leftover first; drop it at exit unless `keep`."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(THROW_AWAY_PREFIX):
        raise SystemExit(
            f"DATABASE_URL must name a throw-away database ({THROW_AWAY_PREFIX}…), not {name!r}."
        )
    server = urlunsplit(parts._replace(path="/postgres"))

    def drop():
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    if not keep:
        atexit.register(drop)


def admin_client(keep=False):
    """Set Django up on a new scratch database; returns (a `Client` logged in as a superuser,
    that superuser)."""
    workdir = tempfile.mkdtemp(prefix="peerpath-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    if os.environ.get("DATABASE_URL"):
        fresh_postgres(os.environ["DATABASE_URL"], keep=keep)
    else:
        os.environ["SQLITE_PATH"] = str(Path(workdir) / "bench.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", str(Path(workdir) / "media"))

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Page, Site

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost", root_page=Page.get_first_root_node(), is_default_site=True
        )
    admin = get_user_model().objects.create_superuser("bench-admin", "bench@example.org", "x")
    client = Client()
    client.force_login(admin)
    return client, admin
