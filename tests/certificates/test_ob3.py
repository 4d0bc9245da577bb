"""Open Badges 3.0: a certificate's credential, signed by joserfc and verified here with jwcrypto
against the published key set, checked against the specification's required fields."""

import base64
import datetime
import hashlib
import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from jwcrypto import jws, jwt

from peerpath.certificates import baking, keys, ob3, status_list
from peerpath.certificates.links import status_list_url
from peerpath.certificates.privacy import erase_personal_data

from .vc import (
    BASE,
    REGISTERED_CLAIMS,
    credential_token,
    fetch_jwks,
    local,
    status_bits,
    verified_credential,
    verify,
)

pytestmark = pytest.mark.django_db

IRI = re.compile(r"^https?://\S+$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def timestamp(value):
    return int(datetime.datetime.fromisoformat(value).timestamp())


def decoded_parts(token):
    """The header and payload of a compact JWS as text, without verifying anything."""
    header, payload, _signature = token.split(".")
    return [
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()
        for part in (header, payload)
    ]


def test_credential_verifies_with_another_jose_library(client, certificate, issuer_key):
    header, payload = verified_credential(client, certificate)
    assert header["typ"] == ob3.JWT_TYPE == "vc+jwt"
    assert header["alg"] == issuer_key.alg
    assert header["kid"] == f"{BASE}/certificates/issuer/jwks.json#{issuer_key.kid}"
    assert payload["id"].endswith(f"/{certificate.display_code}/credential.json")


def test_a_standard_jwt_reader_accepts_its_dates(client, certificate):
    """jwcrypto's JWT class checks `nbf` and `exp` itself: the credential is in force now."""
    token = credential_token(client, certificate)
    header, _payload = verified_credential(client, certificate)
    kid = header["kid"].partition("#")[2]
    checked = jwt.JWT(jwt=token, key=fetch_jwks(client).get_key(kid), algs=[header["alg"]])
    claims = json.loads(checked.claims)
    assert claims["exp"] > datetime.datetime.now(datetime.UTC).timestamp() > claims["nbf"]


def test_a_tampered_credential_does_not_verify(client, certificate):
    token = credential_token(client, certificate)
    header, payload, signature = token.split(".")
    data = json.loads(decoded_parts(token)[1])
    data["credentialSubject"]["achievement"]["name"] = "Something else"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    with pytest.raises(jws.InvalidJWSSignature):
        verify(client, f"{header}.{forged}.{signature}")


def test_required_open_badges_3_fields(client, certificate, issuer_key):
    _header, data = verified_credential(client, certificate)

    assert data["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert data["@context"][1] == ob3.OB_CONTEXT
    assert re.fullmatch(
        r"https://purl\.imsglobal\.org/spec/ob/v3p0/context-3\.\d+\.\d+\.json", ob3.OB_CONTEXT
    )
    assert "VerifiableCredential" in data["type"] and "OpenBadgeCredential" in data["type"]
    assert IRI.match(data["id"]) and data["name"] == certificate.credential_name

    issuer = data["issuer"]
    assert IRI.match(issuer["id"]) and "Profile" in issuer["type"]
    assert issuer["name"] == certificate.issuer_name
    assert IRI.match(issuer["url"])
    assert issuer["jwks_uri"] == f"{BASE}/certificates/issuer/jwks.json"

    subject = data["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    achievement = subject["achievement"]
    assert IRI.match(achievement["id"]) and "Achievement" in achievement["type"]
    assert achievement["name"] == certificate.credential_name
    assert certificate.programme_title in achievement["description"]
    assert certificate.programme_title in achievement["criteria"]["narrative"]
    image = achievement["image"]
    assert image["type"] == "Image" and image["id"].endswith("/badge.png")
    assert client.get(local(image["id"]))["Content-Type"] == "image/png"

    assert TIMESTAMP.match(data["validFrom"]) and TIMESTAMP.match(data["validUntil"])
    issued = certificate.issued_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert datetime.datetime.fromisoformat(data["validFrom"]) == issued


def test_valid_until_is_the_expiry(client, certificate):
    _header, data = verified_credential(client, certificate)
    # Valid up to the start of the expiry date, as the Open Badges 2.0 assertion says.
    assert data["validUntil"] == f"{certificate.expires_on.isoformat()}T00:00:00Z"


def test_a_certificate_without_expiry_has_no_valid_until(client, certificate):
    type(certificate).objects.filter(pk=certificate.pk).update(expires_on=None, grace_ends_on=None)
    _header, data = verified_credential(client, certificate)
    assert "validUntil" not in data and "exp" not in data


def test_credential_status_names_both_lists_at_the_same_index(client, certificate):
    _header, data = verified_credential(client, certificate)
    entries = data["credentialStatus"]
    assert [entry["statusPurpose"] for entry in entries] == ["revocation", "suspension"]
    number, position = status_list.locate(certificate.status_list_index)
    for entry in entries:
        assert entry["type"] == "BitstringStatusListEntry"
        assert entry["statusListIndex"] == str(position)
        url = entry["statusListCredential"]
        assert url == f"{BASE}/certificates/status/{entry['statusPurpose']}/{number}"
        assert entry["id"] == f"{url}#{position}"
        response = client.get(local(url))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vc+jwt"
        _list_header, status = verify(client, response.content.decode())
        assert "BitstringStatusListCredential" in status["type"]
        assert status["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]


def test_jwt_claims_agree_with_the_credential(client, certificate):
    _header, data = verified_credential(client, certificate)
    assert data["iss"] == data["issuer"]["id"]
    assert data["jti"] == data["id"]
    assert data["nbf"] == timestamp(data["validFrom"])
    assert data["exp"] == timestamp(data["validUntil"])


def test_no_email_address_or_name_of_the_holder_anywhere(client, certificate, user):
    token = credential_token(client, certificate)
    header, payload = decoded_parts(token)
    _header, data = verified_credential(client, certificate)
    for text in (token, header, payload):
        for personal in (user.email, user.email.split("@")[0], certificate.holder_name):
            assert personal.lower() not in text.lower(), personal
    assert user.first_name not in payload and user.last_name not in payload
    # The only address in it is the issuer's contact address.
    assert {match.group() for match in EMAIL.finditer(payload)} <= {data["issuer"]["email"]}


def test_holder_is_identified_by_the_salted_hash_of_their_email(client, certificate, user):
    _header, data = verified_credential(client, certificate)
    [identifier] = data["credentialSubject"]["identifier"]
    assert identifier["type"] == "IdentityObject"
    assert identifier["identityType"] == "emailAddress" and identifier["hashed"] is True
    salt = identifier["salt"]
    assert salt
    digest = hashlib.sha256((user.email.lower() + salt).encode()).hexdigest()
    assert identifier["identityHash"] == f"sha256${digest}"


def test_readable_copy_is_the_jwt_payload_without_the_registered_claims(client, certificate):
    _header, payload = verified_credential(client, certificate)
    response = client.get(reverse("certificates:credential_json", args=[certificate.display_code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    for claim in REGISTERED_CLAIMS:
        payload.pop(claim)
    assert json.loads(response.content) == payload
    # The credential's id is where that copy is published.
    assert BASE + response.wsgi_request.path == payload["id"]


def test_an_ed25519_key_signs_and_verifies(client, certificate, tmp_path):
    with override_settings(PEERPATH_ISSUER_KEYS_DIR=str(tmp_path)):
        key = keys.create_key("Ed25519")
        published = json.loads(client.get("/certificates/issuer/jwks.json").content)
        assert [entry["kid"] for entry in published["keys"]] == [key.kid]
        [public] = published["keys"]
        assert public["kty"] == "OKP" and public["crv"] == "Ed25519"
        assert public["alg"] == "Ed25519" and "d" not in public
        header, data = verified_credential(client, certificate)
    assert header["alg"] == "Ed25519" and header["kid"].endswith(f"#{key.kid}")
    assert data["credentialSubject"]["achievement"]["name"] == certificate.credential_name


def test_the_published_key_set_has_no_private_parts(client, certificate):
    published = json.loads(client.get("/certificates/issuer/jwks.json").content)
    assert published["keys"]
    for entry in published["keys"]:
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(entry), entry
        assert entry["use"] == "sig" and entry["kid"] and entry["alg"] in keys.ALGORITHMS


def test_issuer_profile_points_at_the_keys(client, certificate):
    _header, data = verified_credential(client, certificate)
    profile = client.get(local(data["issuer"]["id"]))
    assert profile.status_code == 200
    body = json.loads(profile.content)
    assert body["id"] == data["issuer"]["id"] and "Profile" in body["type"]
    assert body["jwks_uri"] == f"{BASE}/certificates/issuer/jwks.json"
    assert body["@context"][0] == ob3.VC_CONTEXT


def test_an_erased_holders_credential_is_gone(client, certificate, user):
    """An OB 3.0 credential must identify its holder; after erasure nothing can, so the
    credential answers 410, and the badge image carries no credential."""
    erase_personal_data(user)
    certificate.refresh_from_db()
    for name in ("certificates:credential_jwt", "certificates:credential_json"):
        response = client.get(reverse(name, args=[certificate.display_code]))
        assert response.status_code == 410
        assert user.email not in response.content.decode()
    png = client.get(reverse("certificates:badge_png", args=[certificate.display_code]))
    assert png.status_code == 200
    assert set(baking.read_baked(png.content)) == {baking.OB2_KEYWORD}
    # Erasing relinquishes the certificate: its revocation bit is set, so copies taken before
    # the erasure read as revoked.
    number, position = status_list.locate(certificate.status_list_index)
    revocation = status_bits(client, status_list_url("revocation", number))
    suspension = status_bits(client, status_list_url("suspension", number))
    assert status_list.bit_is_set(revocation, position)
    assert not status_list.bit_is_set(suspension, position)
