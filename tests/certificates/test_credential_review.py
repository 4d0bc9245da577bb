# ruff: noqa: F811 - pytest fixtures imported from the remote checks' module
"""What the review of the credential check found, each now refused plainly: keys and issuers at
other addresses on a trusted host, this site's own host trusted, status lists elsewhere, several
bits per entry, missing status entries, odd ports, broken PNG chunks, repeated key ids."""

import base64
import io
import json
import struct

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from peerpath.certificates import baking, keys
from peerpath.certificates.credential_check import Outcome, Reason, check_credential
from peerpath.certificates.hosts import normalise_host, url_host
from peerpath.certificates.models import TrustedIssuerHost
from tests.certificates.test_credential_check_remote import (  # noqa: F401 - fixtures
    HOST,
    REVOCATION_LIST,
    SITE,
    FakeResponse,
    Issuer,
    issuer,
    publish,
    trusted,
    web,
)

pytestmark = pytest.mark.django_db


def test_a_key_elsewhere_on_a_trusted_host_is_not_the_issuers(web, issuer, trusted):
    """Anyone who can publish a JSON file on a trusted site (an upload) must not sign for it."""
    publish(web, issuer)
    uploaded = f"{SITE}/documents/42/keys.json"
    web.pages[uploaded] = FakeResponse(issuer.jwks())
    token = issuer.sign(
        json.loads(_payload(issuer.credential())), kid=f"{uploaded}#{issuer.key.kid}"
    )
    result = check_credential(token)
    assert result.outcome == Outcome.INVALID
    assert result.reason == Reason.UNKNOWN_KEY
    assert "published key set" in result.summary
    assert web.requests == []


def test_an_issuer_that_is_not_a_profile_address_is_refused(web, trusted):
    other = Issuer()
    other.profile = f"{SITE}/somewhere/else.json"
    publish(web, other)
    result = check_credential(other.credential())
    assert result.reason == Reason.UNKNOWN_KEY
    assert "issuer profile" in result.summary
    assert web.requests == []


@override_settings(WAGTAILADMIN_BASE_URL=SITE)
def test_this_sites_own_host_cannot_be_trusted_or_hold_foreign_keys(web, issuer):
    entry = TrustedIssuerHost(host=HOST)
    with pytest.raises(ValidationError):
        entry.full_clean()
    TrustedIssuerHost.objects.create(host=HOST)  # as if added before the rule
    publish(web, issuer)
    result = check_credential(issuer.credential())
    assert result.reason == Reason.UNKNOWN_KEY
    assert web.requests == []


def test_a_status_list_on_another_host_is_not_fetched(web, issuer, trusted):
    TrustedIssuerHost.objects.create(host="lists.example")
    publish(web, issuer)
    elsewhere = "https://lists.example/certificates/status/revocation/1"
    token = issuer.credential(
        credentialStatus=[
            {
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "7",
                "statusListCredential": elsewhere,
            }
        ]
    )
    result = check_credential(token)
    assert elsewhere not in web.urls
    assert result.reason == Reason.STATUS_UNAVAILABLE
    assert "not on its issuer's site" in " ".join(item.message for item in result.findings)


def test_several_bits_per_entry_are_not_read_as_revocation(web, issuer, trusted):
    publish(web, issuer)
    token = issuer.credential(
        credentialStatus=[
            {
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "7",
                "statusSize": 2,
                "statusListCredential": REVOCATION_LIST,
            }
        ]
    )
    result = check_credential(token)
    assert result.outcome != Outcome.VALID
    assert result.reason == Reason.STATUS_UNAVAILABLE


def test_without_status_entries_valid_does_not_claim_unrevoked(web, issuer, trusted):
    publish(web, issuer)
    result = check_credential(issuer.credential(credentialStatus=[]))
    assert result.outcome == Outcome.VALID
    assert "could not be checked" in str(result.summary)
    assert "has not revoked" not in str(result.summary)


@pytest.mark.parametrize(
    "value",
    ["a.example:²", "a.example:١٢", "a.exa\nmple", "https://a.example:²/x"],
    ids=["superscript-port", "arabic-digits-port", "newline-inside", "url-superscript-port"],
)
def test_odd_hosts_are_none_not_errors(value):
    assert normalise_host(value) is None
    assert url_host(value) is None or url_host(value) == "a.example"


def test_a_jwt_naming_a_host_with_an_odd_port_is_a_clear_answer(issuer):
    token = issuer.sign(
        json.loads(_payload(issuer.credential())), kid="https://a.example:²/jwks.json#k"
    )
    result = check_credential(token)
    assert result.outcome == Outcome.INVALID


def _png_with_broken_chunk_after_data():
    image = io.BytesIO()
    Image.new("RGB", (4, 4)).save(image, format="PNG")
    data = image.getvalue()
    end = data.rindex(b"IEND") - 4
    body = b"openbadges\x00\x00\x00\x00\x00https://x"
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", 0)  # bad CRC
    return data[:end] + chunk + data[end:]


def test_a_png_with_a_broken_chunk_is_a_clear_error():
    with pytest.raises(ValueError):
        baking.read_baked(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    # Chunks after the image data are not read (nor are the pixels decoded to find them).
    assert baking.read_baked(_png_with_broken_chunk_after_data()) == {}


def test_an_uploaded_png_with_a_broken_chunk_is_not_a_500(client):
    upload = SimpleUploadedFile("badge.png", _png_with_broken_chunk_after_data())
    response = client.post("/certificates/verify/credential/", {"upload": upload})
    assert response.status_code in (200, 400)


def test_repeated_key_ids_are_a_configuration_error(tmp_path):
    key = keys.ALGORITHMS["ES256"]()
    private = {**key.as_dict(private=True), "kid": "same", "alg": "ES256"}
    setting = json.dumps({"keys": [private, private]})
    with override_settings(PEERPATH_ISSUER_KEYS=setting):
        ids = [message.id for message in run_checks()]
    assert "peerpath_certificates.E003" in ids


def test_a_key_file_that_is_a_list_is_a_configuration_error(tmp_path):
    (tmp_path / "20260101T000000000000-x.json").write_text("[1, 2]")
    with override_settings(PEERPATH_ISSUER_KEYS_DIR=str(tmp_path)):
        ids = [message.id for message in run_checks()]
    assert "peerpath_certificates.E003" in ids


def _payload(token):
    body = token.split(".")[1]
    body += "=" * (-len(body) % 4)
    return base64.urlsafe_b64decode(body).decode()
