"""A throw-away benchmark site: a fresh SQLite database (config.settings.bench) in a temporary
folder, migrated, with a default site and a superuser's logged-in test client. Django is set up
here, before any model is imported: the caller imports its models after calling `admin_client()`.
"""

import os
import tempfile
from pathlib import Path


def admin_client():
    """Set Django up on a new scratch database; returns (a `Client` logged in as a superuser,
    that superuser)."""
    workdir = tempfile.mkdtemp(prefix="peerpath-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
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
