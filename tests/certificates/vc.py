"""Checking this site's Open Badges 3.0 output the way an outside verifier would: with jwcrypto,
a different JOSE library from joserfc (which signs), and only what the public URLs publish."""

import json

from django.urls import reverse
from jwcrypto import jwk, jws

from peerpath.certificates import status_list

BASE = "http://testserver"
JWKS_PATH = "/certificates/issuer/jwks.json"
REGISTERED_CLAIMS = ("iss", "jti", "nbf", "exp")


def local(url):
    """The path of an absolute URL on the test site (the test client takes paths)."""
    assert url.startswith(BASE + "/"), url
    return url.removeprefix(BASE)


def fetch_jwks(client):
    response = client.get(JWKS_PATH)
    assert response.status_code == 200, response.content
    return jwk.JWKSet.from_json(response.content)


def verify(client, token, jwks=None):
    """(header, payload) of a compact JWS, verified with jwcrypto against the published key set
    and the key its header's `kid` fragment names. Raises if anything does not check out."""
    jwks = jwks or fetch_jwks(client)
    message = jws.JWS()
    message.deserialize(token)
    header = message.jose_header
    jwks_url, _hash, kid = header["kid"].partition("#")
    assert jwks_url == BASE + JWKS_PATH, header
    key = jwks.get_key(kid)
    assert key is not None, f"kid {kid!r} is not published"
    message.allowed_algs = [header["alg"]]
    message.verify(key)  # raises jws.InvalidJWSSignature when it does not verify
    return header, json.loads(message.payload)


def credential_token(client, certificate):
    response = client.get(reverse("certificates:credential_jwt", args=[certificate.display_code]))
    assert response.status_code == 200, response.content
    return response.content.decode()


def verified_credential(client, certificate):
    """(header, payload) of the certificate's credential, as a verifier gets them."""
    return verify(client, credential_token(client, certificate))


def status_bits(client, url):
    """The bitstring of a published status list (its signed JWT, verified with jwcrypto)."""
    response = client.get(local(url))
    assert response.status_code == 200, response.content
    _header, payload = verify(client, response.content.decode())
    assert payload["id"] == url
    return status_list.decode(payload["credentialSubject"]["encodedList"])


def status_flags(client, certificate):
    """{purpose: whether the certificate's bit is set} from the lists its credential names."""
    _header, payload = verified_credential(client, certificate)
    flags = {}
    for entry in payload["credentialStatus"]:
        bits = status_bits(client, entry["statusListCredential"])
        flags[entry["statusPurpose"]] = status_list.bit_is_set(bits, int(entry["statusListIndex"]))
    return flags
