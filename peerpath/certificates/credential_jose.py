"""The JOSE side of checking a credential: reading a compact JWS, the algorithms accepted, and
finding another issuer's published key (fetched through `remote.py`, under its rules).

Verification is joserfc's; nothing here does cryptography. Only ES256 and Ed25519 are accepted:
`none` would mean no signature at all, and an HMAC algorithm (HS256…) would let anyone holding the
"key" — here, the published public key — forge one.
"""

import base64
import binascii
import json
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry

from .hosts import url_host
from .keys import KEY_TYPES
from .links import issuer_paths, own_host
from .remote import RemoteError, check_address, fetch

ALGORITHMS = tuple(KEY_TYPES)
KEY_SET = gettext_lazy("issuer's key set")
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")


def _segment(value):
    padded = value + "=" * (-len(value) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def split_compact(text):
    """(header, payload) of a compact JWS, both JSON objects, read without checking anything;
    ValueError with a fragment of a sentence saying what is wrong."""
    parts = text.split(".")
    if len(parts) != 3:
        raise ValueError(_("it is not three parts separated by dots"))
    if not all(_BASE64URL.match(part) for part in parts) or not parts[0] or not parts[1]:
        raise ValueError(_("its parts are not base64url-encoded"))
    try:
        header, payload = _segment(parts[0]), _segment(parts[1])
    except (binascii.Error, ValueError, RecursionError):
        raise ValueError(_("its header or body is not base64url-encoded JSON")) from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValueError(_("its header or body is not a JSON object"))
    return header, payload


def algorithm_problem(header):
    """None if the header's algorithm is accepted; otherwise "unsigned" (`none` or no algorithm),
    "unsupported" (anything but ES256 and Ed25519) or "critical" (extensions we cannot honour)."""
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg or alg.lower() == "none":
        return "unsigned"
    if alg not in ALGORITHMS:
        return "unsupported"
    if "crit" in header:
        return "critical"
    return None


def verify_signature(token, key, alg):
    """The payload of `token` as JSON, once its signature is verified with `key`; joserfc's
    BadSignatureError (or another JoseError, or ValueError) when it cannot be."""
    signed = jws.deserialize_compact(token, key, algorithms=[alg])
    return json.loads(signed.payload)


def credential_body(payload):
    """The credential in a VC-JWT payload: the payload itself (OB 3.0, VC 2.0), or its `vc`
    claim (the older VC-JWT form)."""
    return payload["vc"] if isinstance(payload.get("vc"), dict) else payload


def issuer_id(credential):
    """The id of the issuer a credential names (a string, or a Profile object's id), or ""."""
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else ""


class KeyProblem(Exception):
    """The key could not be found or used. `reason` is a credential check reason code."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason, self.message = reason, message


class RemoteKeys:
    """Other issuers' key sets, each fetched at most once during one check."""

    def __init__(self):
        self.sets = {}

    def host_for(self, kid, *, issuer):
        """The host of the key set `kid` points into, if this site may fetch it for a credential
        from `issuer`: on the issuer's own host, over HTTPS, and trusted. KeyProblem if not, and
        then nothing has been fetched."""
        if not isinstance(kid, str) or not kid:
            raise KeyProblem("unknown_key", _("It does not name the key it was signed with."))
        jwks_url, _hash, fragment = kid.partition("#")
        host = url_host(jwks_url)
        if host is None or not fragment:
            raise KeyProblem(
                "unknown_key",
                _("Its key is named “%(kid)s”, which is not a link into a published key set.")
                % {"kid": kid[:200]},
            )
        if url_host(issuer) != host:
            raise KeyProblem(
                "unknown_key",
                _(
                    "Its key is published on %(host)s, but it names another site as its issuer: "
                    "an issuer signs with keys published on its own site."
                )
                % {"host": host},
            )
        if not jwks_url.startswith("https://"):
            raise KeyProblem(
                "unknown_key",
                _("Its key is published at an address that does not use HTTPS: %(url)s.")
                % {"url": jwks_url[:200]},
            )
        if host == own_host():
            raise KeyProblem(
                "unknown_key",
                _("It names a key on this site that this site does not publish."),
            )
        # A PeerPath site publishes its keys and its issuer profile at fixed addresses; a key
        # anywhere else on the host (an uploaded file, say) is not the issuer's.
        paths = issuer_paths()
        if jwks_url != f"https://{host}{paths['jwks']}":
            raise KeyProblem(
                "unknown_key",
                _(
                    "Its key is not in %(host)s's published key set (%(path)s), so it is not "
                    "that site's key."
                )
                % {"host": host, "path": paths["jwks"]},
            )
        if issuer != f"https://{host}{paths['profile']}":
            raise KeyProblem(
                "unknown_key",
                _("It names an issuer that is not a PeerPath site's issuer profile: %(issuer)s.")
                % {"issuer": issuer[:200]},
            )
        try:
            check_address(jwks_url, purpose=KEY_SET)
        except RemoteError as error:
            raise KeyProblem("untrusted_issuer", error.message) from error
        return host

    def key(self, kid, alg):
        """The joserfc key `kid` names, from its issuer's published key set (fetched once).
        Call `host_for` first."""
        jwks_url, _hash, fragment = kid.partition("#")
        host = url_host(jwks_url)
        entry = next(
            (item for item in self.key_set(jwks_url) if item.get("kid") in (fragment, kid)), None
        )
        if entry is None:
            raise KeyProblem(
                "unknown_key",
                _(
                    "The key set published on %(host)s has no key “%(kid)s”: it was retired, or "
                    "never existed."
                )
                % {"host": host, "kid": fragment[:100]},
            )
        kty, crv = KEY_TYPES[alg]
        if entry.get("kty") != kty or entry.get("crv") != crv or entry.get("alg", alg) != alg:
            raise KeyProblem(
                "bad_signature",
                _("The issuer's key “%(kid)s” is not an %(alg)s key, so it cannot match.")
                % {"kid": fragment[:100], "alg": alg},
            )
        public = {name: value for name, value in entry.items() if name != "d"}
        try:
            return JWKRegistry.import_key(public)
        except (JoseError, ValueError, TypeError) as error:
            raise KeyProblem(
                "unknown_key",
                _("The issuer's key “%(kid)s” cannot be read.") % {"kid": fragment[:100]},
            ) from error

    def key_set(self, url):
        """The key entries published at `url`; KeyProblem ("fetch_failed") when they cannot be
        fetched or read. A failure is remembered too, so it is not fetched twice."""
        if url not in self.sets:
            self.sets[url] = self._fetch(url)
        found = self.sets[url]
        if isinstance(found, KeyProblem):
            raise found
        return found

    def _fetch(self, url):
        try:
            text = fetch(url, purpose=KEY_SET)
        except RemoteError as error:
            return KeyProblem("fetch_failed", error.message)
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            data = None
        entries = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            return KeyProblem(
                "fetch_failed",
                _("What %(host)s publishes as its key set is not a JSON key set.")
                % {"host": url_host(url)},
            )
        return [entry for entry in entries if isinstance(entry, dict)]
