"""Loading the project's settings modules in the test process, with a given environment, to see
what a deployment would get (without touching the settings the tests run under)."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from joserfc.jwk import ECKey

ROOT = Path(__file__).resolve().parents[2]


def issuer_keys_json():
    """A JSON key set with one ES256 signing key, as an operator would give PEERPATH_ISSUER_KEYS
    (a deployment without a key gets the check's warning W003)."""
    key = ECKey.generate_key("P-256", auto_kid=True)
    return json.dumps({"keys": [{**key.as_dict(private=True), "kid": key.kid, "alg": "ES256"}]})


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "p" * 40 + "-a-long-random-production-secret-for-tests",
    "DJANGO_ALLOWED_HOSTS": "peerpath.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/peerpath",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "PEERPATH_ISSUER_KEYS": issuer_keys_json(),
}

# Variables these tests set; any value from the surrounding shell is ignored.
CONTROLLED = [*PRODUCTION_ENV, "PEERPATH_TRUSTED_PROXY_COUNT", "EMAIL_TIMEOUT"]


def load_settings(monkeypatch, name, **env):
    """A fresh import of `config.settings.<name>` (and of base, which it builds on) under `env`."""
    for variable in CONTROLLED:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    for module in ("config.settings.base", f"config.settings.{name}"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    return importlib.import_module(f"config.settings.{name}")


def production_settings(monkeypatch, **env):
    return load_settings(monkeypatch, "production", **{**PRODUCTION_ENV, **env})


def manage(*args, settings="config.settings.production", **env):
    """`python manage.py …` in a separate process, with the production environment plus `env`."""
    environment = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    environment.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE=settings, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
