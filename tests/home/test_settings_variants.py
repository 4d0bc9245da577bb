import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.settings_modules import issuer_keys_json

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 64 + "-production-secret-for-the-check",
    "DJANGO_ALLOWED_HOSTS": "peerpath.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/peerpath",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "PEERPATH_ISSUER_KEYS": issuer_keys_json(),
}


def run_manage(*args, settings, extra_env=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("variant", ["dev", "test"])
def test_settings_variant_passes_system_checks(variant):
    result = run_manage("check", settings=f"config.settings.{variant}")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_deploy_checks_with_environment_set():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="config.settings.production",
        extra_env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", settings="config.settings.production", extra_env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_use_postgres_and_redis_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CACHES['default']['BACKEND']);"
        "print('django.contrib.postgres' in s.INSTALLED_APPS)"
    )
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
        "True",
    ]
