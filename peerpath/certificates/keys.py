"""The site's Open Badges 3.0 signing keys: where they live, which one signs, which are published.

Keys are private JWKs (RFC 7517), made with joserfc, and never stored in the database, so a
database dump does not carry them. They come from either:

- `PEERPATH_ISSUER_KEYS`: a JSON key set (`{"keys": [...]}`, each with `kid`, `alg` and the
  private members), typically an environment variable; the last key signs. Rotating means
  appending a key to the set.
- `PEERPATH_ISSUER_KEYS_DIR`: a folder of one file per key, written by
  `manage.py issuer_keys create` (mode 0600); the newest signs. Retiring a key moves its file
  into `retired/`, which stops publishing it.

Every key that is not retired is published at `/certificates/issuer/jwks.json`, so credentials
signed before a rotation keep verifying. Supported algorithms: ES256 (P-256, understood by every
JOSE library) and Ed25519 (RFC 9864's name for EdDSA with that curve).
"""

import datetime
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, OKPKey

from peerpath.conf import setting

#: alg → the key type and curve it needs.
KEY_TYPES = {"ES256": ("EC", "P-256"), "Ed25519": ("OKP", "Ed25519")}
#: alg → how a key for it is made.
ALGORITHMS = {
    "ES256": lambda: ECKey.generate_key("P-256", auto_kid=True),
    "Ed25519": lambda: OKPKey.generate_key("Ed25519", auto_kid=True),
}
DEFAULT_ALGORITHM = "ES256"
RETIRED = "retired"


class NoIssuerKey(ImproperlyConfigured):
    """No signing key is configured: credentials cannot be signed until one is made."""

    def __init__(self):
        super().__init__(
            "No Open Badges signing key: run `manage.py issuer_keys create`, or set "
            "PEERPATH_ISSUER_KEYS to a JSON key set."
        )


@dataclass(frozen=True)
class IssuerKey:
    kid: str
    alg: str
    created: str
    key: object  # a joserfc key with its private part

    def public_jwk(self):
        """The key as published: public members, `kid`, `alg` and `use`."""
        data = self.key.as_dict(private=False)
        data.update(kid=self.kid, alg=self.alg, use="sig")
        return data


def _from_jwk(data, created=""):
    """An IssuerKey from a private JWK dictionary; ImproperlyConfigured if it is not one."""
    if not isinstance(data, dict):
        raise ImproperlyConfigured("An Open Badges signing key must be a JSON object (a JWK).")
    alg = data.get("alg")
    if alg not in ALGORITHMS:
        raise ImproperlyConfigured(
            f"Open Badges signing key {data.get('kid', '?')!r}: alg must be one of "
            f"{', '.join(ALGORITHMS)}."
        )
    if (data.get("kty"), data.get("crv")) != KEY_TYPES[alg]:
        kty, crv = KEY_TYPES[alg]
        raise ImproperlyConfigured(
            f"Open Badges signing key {data.get('kid', '?')!r}: {alg} needs a {kty} key on the "
            f"{crv} curve."
        )
    try:
        key = KeySet.import_key_set({"keys": [data]}).keys[0]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise ImproperlyConfigured(f"Unreadable Open Badges signing key: {error}") from error
    if not key.is_private:
        raise ImproperlyConfigured(
            f"Open Badges signing key {key.kid!r} has no private part: it cannot sign."
        )
    kid = data.get("kid") or key.thumbprint()
    return IssuerKey(kid=kid, alg=alg, created=created or data.get("created", ""), key=key)


def _directory():
    folder = setting("ISSUER_KEYS_DIR")
    return Path(folder) if folder else None


def _key_files(folder):
    return sorted(path for path in folder.glob("*.json") if path.is_file())


@lru_cache(maxsize=8)
def _read_folder(folder, _stamp):
    """The folder's keys, oldest first. Cached until the folder changes (`_stamp`)."""
    keys = []
    for path in _key_files(folder):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise ImproperlyConfigured(
                f"Unreadable Open Badges key file {path}: {error}"
            ) from error
        if not isinstance(data, dict):
            raise ImproperlyConfigured(f"Open Badges key file {path} is not a JSON object.")
        keys.append(_from_jwk(data.get("jwk"), created=data.get("created", "")))
    return _distinct(keys)


@lru_cache(maxsize=8)
def _read_set(text):
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ImproperlyConfigured("PEERPATH_ISSUER_KEYS is not valid JSON.") from error
    entries = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ImproperlyConfigured('PEERPATH_ISSUER_KEYS must be a key set: {"keys": [...]}.')
    return _distinct(_from_jwk(entry) for entry in entries)


def _distinct(keys):
    """The keys as a tuple; ImproperlyConfigured when two share a `kid` (verifiers would find
    the first while the last signs)."""
    keys = tuple(keys)
    kids = [key.kid for key in keys]
    repeated = sorted({kid for kid in kids if kids.count(kid) > 1})
    if repeated:
        raise ImproperlyConfigured(f"Open Badges signing keys share the id {repeated[0]!r}.")
    return keys


def published_keys():
    """Every key that is not retired, oldest first (the last one signs)."""
    configured = setting("ISSUER_KEYS")
    if configured:
        return _read_set(configured if isinstance(configured, str) else json.dumps(configured))
    folder = _directory()
    if folder is None or not folder.is_dir():
        return ()
    stamp = tuple((path.name, path.stat().st_mtime_ns) for path in _key_files(folder))
    return _read_folder(folder, stamp)


def signing_key():
    """The key that signs new credentials and status lists; NoIssuerKey when there is none."""
    keys = published_keys()
    if not keys:
        raise NoIssuerKey()
    return keys[-1]


def find_key(kid):
    """The published key with this `kid`, or None (a retired or unknown key)."""
    return next((key for key in published_keys() if key.kid == kid), None)


def public_jwks():
    """The published key set: what verifiers fetch from `/certificates/issuer/jwks.json`."""
    return {"keys": [key.public_jwk() for key in published_keys()]}


def _require_folder():
    if setting("ISSUER_KEYS"):
        raise ImproperlyConfigured(
            "PEERPATH_ISSUER_KEYS is set, so keys come from it: add or remove keys there."
        )
    folder = _directory()
    if folder is None:
        raise ImproperlyConfigured("Set PEERPATH_ISSUER_KEYS_DIR to a folder for the keys.")
    return folder


def create_key(alg=DEFAULT_ALGORITHM):
    """Make a key, store it in the keys folder (readable by this user only) and return it. It
    signs from now on; the keys before it stay published."""
    if alg not in ALGORITHMS:
        raise ValueError(f"Unsupported algorithm {alg!r}: use one of {', '.join(ALGORITHMS)}.")
    folder = _require_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ALGORITHMS[alg]()
    while key.kid.startswith("-"):  # an id people can type after `issuer_keys retire`
        key = ALGORITHMS[alg]()
    created = timezone.now().astimezone(datetime.UTC)
    jwk = key.as_dict(private=True)
    jwk.update(kid=key.kid, alg=alg)
    path = folder / f"{created:%Y%m%dT%H%M%S%f}-{key.kid}.json"
    # Written under another name and renamed, so no process ever reads half a key.
    partial = path.with_suffix(".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump({"created": created.isoformat(), "jwk": jwk}, handle, indent=2)
    partial.rename(path)
    return IssuerKey(kid=key.kid, alg=alg, created=created.isoformat(), key=key)


def retire_key(kid):
    """Stop publishing a key (its file moves to `retired/`). Credentials it signed stop
    verifying. Refused for the only key, and for the key that signs now. Returns the path."""
    folder = _require_folder()
    keys = published_keys()
    if not any(key.kid == kid for key in keys):
        raise ValueError(f"No published key has the id {kid!r}.")
    if keys[-1].kid == kid:
        raise ValueError("This key signs new credentials: create a new key before retiring it.")
    path = next((path for path in _key_files(folder) if path.stem.endswith(f"-{kid}")), None)
    if path is None:
        raise ValueError(f"Key {kid!r} is not one of the files in {folder}: retire it by hand.")
    (folder / RETIRED).mkdir(exist_ok=True, mode=0o700)
    target = folder / RETIRED / path.name
    path.rename(target)
    return target
