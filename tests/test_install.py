"""`pip install .` into a fresh virtual environment and a freshly generated Wagtail site works, even
when that site already has an app of its own called `accounts` (a very common name): PeerPath's apps
are the packages `peerpath.*` with labels `peerpath_*`, so nothing of theirs collides with the site's.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PEERPATH_APPS = [
    "peerpath",
    "peerpath.accounts",
    "peerpath.organisations",
    "peerpath.training",
    "peerpath.certificates",
    "peerpath.workshops",
    "peerpath.meetings",
    "peerpath.coordination",
]
# The host site's own `accounts` app, with a model named like one of ours.
HOST_ACCOUNTS_MODELS = """
from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    nickname = models.CharField(max_length=40)
"""


def run(*args, cwd, timeout=600):
    # The other site must not see this suite's settings module.
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.mark.slow
def test_pip_install_into_a_new_wagtail_site_migrates_and_serves_our_pages(tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv), cwd=tmp_path)
    python = venv / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", str(ROOT), cwd=tmp_path)
    run(str(venv / "bin" / "wagtail"), "start", "othersite", cwd=tmp_path)
    site = tmp_path / "othersite"
    run(str(python), "manage.py", "startapp", "accounts", cwd=site)
    (site / "accounts" / "models.py").write_text(HOST_ACCOUNTS_MODELS)

    settings = site / "othersite" / "settings" / "base.py"
    text = settings.read_text()
    apps = "".join(f'    "{app}",\n' for app in [*PEERPATH_APPS, "accounts"])
    text = text.replace(
        "INSTALLED_APPS = [\n", f'INSTALLED_APPS = [\n{apps}    "wagtail.contrib.settings",\n'
    )
    text = text.replace(
        '"django.contrib.messages.context_processors.messages",',
        '"django.contrib.messages.context_processors.messages",\n'
        '                "wagtail.contrib.settings.context_processors.settings",',
    )
    text += textwrap.dedent(
        """
        TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        LOGIN_URL = "accounts:login"
        WAGTAILDOCS_SERVE_METHOD = "serve_view"
        """
    )
    settings.write_text(text)

    urls = site / "othersite" / "urls.py"
    text = urls.read_text()
    ours = "".join(
        f'    path("{app.split(".")[1]}/", include("{app}.urls")),\n'
        for app in PEERPATH_APPS
        if app not in {"peerpath", "peerpath.organisations"}
    )
    text = text.replace("urlpatterns = [\n", "urlpatterns = [\n" + ours, 1)
    urls.write_text(text)

    run(str(python), "manage.py", "makemigrations", "accounts", cwd=site)
    run(str(python), "manage.py", "migrate", "--noinput", cwd=site)
    run(str(python), "manage.py", "check", cwd=site)
    probe = textwrap.dedent(
        """
        from django.apps import apps
        from django.test import Client
        print(apps.get_app_config("accounts").name, apps.get_app_config("peerpath_accounts").name)
        print(apps.get_model("accounts", "Profile")._meta.db_table)
        response = Client().get("/accounts/signup/")
        print(response.status_code)
        print("Sign up" in response.content.decode())
        print("Need help now?" in response.content.decode())
        """
    )
    out = run(str(python), "manage.py", "shell", "-c", probe, cwd=site)
    lines = out.split()
    assert lines[-6:-3] == ["accounts", "peerpath.accounts", "accounts_profile"], out
    assert lines[-3:] == ["200", "True", "True"], out
