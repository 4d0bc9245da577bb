"""The Open Badges 3.0 signing keys: `manage.py issuer_keys` (create, list, rotate, retire), where
keys come from, and what the site does when there is none or the setting is broken. Each test
has its own keys folder; credentials are verified with jwcrypto against the published key set."""

import io
import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from jwcrypto import jwk
from PIL import Image

from peerpath.certificates import keys
from peerpath.certificates.checks import check_issuer_keys

from .factories import CertificateFactory
from .vc import credential_token, fetch_jwks, verified_credential, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(settings, tmp_path):
    """An empty keys folder of this test's own (it does not exist until a key is made)."""
    path = tmp_path / "issuer-keys"
    settings.PEERPATH_ISSUER_KEYS_DIR = str(path)
    settings.PEERPATH_ISSUER_KEYS = None
    return path


@pytest.fixture
def certificate(home_page, user):
    return CertificateFactory(holder=user, status_list_index=1234)


def run(*args):
    out = io.StringIO()
    call_command("issuer_keys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def key_files(folder):
    return sorted(folder.glob("*.json"))


def published_kids(client):
    return [
        entry["kid"]
        for entry in json.loads(client.get("/certificates/issuer/jwks.json").content)["keys"]
    ]


def check_ids():
    return [message.id for message in check_issuer_keys(None)]


def private_jwk(kty="EC", crv="P-256", kid="env-key", alg="ES256"):
    """A private JWK made by jwcrypto, as an operator might paste into PEERPATH_ISSUER_KEYS."""
    data = json.loads(jwk.JWK.generate(kty=kty, crv=crv, kid=kid).export_private())
    if alg:
        data["alg"] = alg
    return data


# create ----------------------------------------------------------------------------------------


def test_create_makes_an_es256_key_by_default(folder):
    output = run("create")
    [path] = key_files(folder)
    stored = json.loads(path.read_text())
    key = stored["jwk"]
    assert key["alg"] == "ES256" and key["kty"] == "EC" and key["crv"] == "P-256"
    assert key["d"]  # the private part: it can sign
    assert stored["created"]
    assert f"Created ES256 key {key['kid']}" in output
    assert keys.signing_key().kid == key["kid"]


def test_create_makes_an_ed25519_key_when_asked(folder, client, certificate):
    output = run("create", "--algorithm", "Ed25519")
    [path] = key_files(folder)
    key = json.loads(path.read_text())["jwk"]
    assert key["alg"] == "Ed25519" and key["kty"] == "OKP" and key["crv"] == "Ed25519"
    assert "Created Ed25519 key" in output
    header, _payload = verified_credential(client, certificate)
    assert header["alg"] == "Ed25519"


def test_an_unknown_algorithm_is_refused(folder):
    with pytest.raises(CommandError):
        run("create", "--algorithm", "RS256")
    assert not folder.exists() or not key_files(folder)


def test_key_files_are_readable_by_their_owner_only(folder):
    run("create")
    run("rotate", "--algorithm", "Ed25519")
    for path in key_files(folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert not stat.S_IMODE(folder.stat().st_mode) & 0o077


def test_create_if_missing_does_nothing_when_a_key_exists(folder):
    run("create", "--if-missing")
    [first] = key_files(folder)
    output = run("create", "--if-missing")
    assert key_files(folder) == [first]
    assert "exists already" in output and first.stem.split("-", 1)[1] in output


def test_create_without_if_missing_adds_a_key_that_signs_from_now_on(folder):
    first = keys.create_key()
    run("create")
    assert len(key_files(folder)) == 2
    assert keys.signing_key().kid != first.kid


# list ------------------------------------------------------------------------------------------


def test_list_says_when_there_is_no_key(folder):
    assert "No keys yet" in run("list")


def test_list_shows_every_published_key_and_which_signs(folder):
    old = keys.create_key("Ed25519")
    new = keys.create_key("ES256")
    lines = run("list").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(old.kid) and "Ed25519" in lines[0] and "(published)" in lines[0]
    assert lines[1].startswith(new.kid) and "ES256" in lines[1] and "(signs)" in lines[1]
    assert new.created in lines[1]


# rotate ----------------------------------------------------------------------------------------


def test_rotating_keeps_credentials_signed_before_verifying(folder, client, certificate):
    old = keys.create_key()
    before = credential_token(client, certificate)
    output = run("rotate")
    new = keys.signing_key()
    assert new.kid != old.kid
    assert "1 older key(s) stay published" in output

    jwks = fetch_jwks(client)
    assert published_kids(client) == [old.kid, new.kid]
    header, payload = verify(client, before, jwks)
    assert header["kid"].endswith(f"#{old.kid}")
    assert payload["credentialSubject"]["achievement"]["name"] == certificate.credential_name

    header, _payload = verified_credential(client, certificate)
    assert header["kid"].endswith(f"#{new.kid}")


def test_rotating_to_another_algorithm(folder, client, certificate):
    keys.create_key("ES256")
    before = credential_token(client, certificate)
    run("rotate", "--algorithm", "Ed25519")
    assert verify(client, before)[0]["alg"] == "ES256"
    assert verified_credential(client, certificate)[0]["alg"] == "Ed25519"


def test_status_lists_are_signed_with_the_new_key_after_rotating(folder, client, certificate):
    keys.create_key()
    run("rotate")
    response = client.get(reverse("certificates:status_list", args=["revocation", 1]))
    header, _payload = verify(client, response.content.decode())
    assert header["kid"].endswith(f"#{keys.signing_key().kid}")


# retire ----------------------------------------------------------------------------------------


def test_retiring_the_signing_key_is_refused(folder):
    key = keys.create_key()
    with pytest.raises(CommandError, match="signs new credentials: create a new key"):
        run("retire", key.kid)
    assert keys.signing_key().kid == key.kid


def test_retiring_an_unknown_key_is_refused(folder):
    keys.create_key()
    with pytest.raises(CommandError, match="No published key has the id 'nope'"):
        run("retire", "nope")


def test_retiring_an_old_key_stops_publishing_it(folder, client, certificate):
    old = keys.create_key()
    before = credential_token(client, certificate)
    new = keys.create_key()
    output = run("retire", old.kid)
    assert f"Key {old.kid} is no longer published" in output
    assert published_kids(client) == [new.kid]
    assert keys.find_key(old.kid) is None
    assert [path.parent.name for path in folder.rglob(f"*{old.kid}.json")] == ["retired"]
    # What it signed no longer verifies: its key is not published any more.
    with pytest.raises(AssertionError, match="is not published"):
        verify(client, before)
    # Retiring it again is refused: it is not published.
    with pytest.raises(CommandError, match="No published key"):
        run("retire", old.kid)


# PEERPATH_ISSUER_KEYS --------------------------------------------------------------------------


def test_a_key_set_in_the_setting_wins_over_the_folder(folder, settings, client, certificate):
    keys.create_key()
    older, newer = private_jwk(kid="older"), private_jwk(kid="newer")
    settings.PEERPATH_ISSUER_KEYS = json.dumps({"keys": [older, newer]})
    assert published_kids(client) == ["older", "newer"]
    header, _payload = verified_credential(client, certificate)
    assert header["kid"].endswith("#newer")  # the last one signs
    assert "newer" in run("list").splitlines()[-1]


def test_the_setting_may_be_a_dictionary(folder, settings, client, certificate):
    settings.PEERPATH_ISSUER_KEYS = {"keys": [private_jwk(kty="OKP", crv="Ed25519", alg="Ed25519")]}
    header, _payload = verified_credential(client, certificate)
    assert header["alg"] == "Ed25519" and header["kid"].endswith("#env-key")


@pytest.mark.parametrize(
    "action", [["create"], ["rotate"], ["retire", "older"]], ids=["create", "rotate", "retire"]
)
def test_the_command_does_not_touch_the_folder_when_the_setting_is_given(folder, settings, action):
    settings.PEERPATH_ISSUER_KEYS = json.dumps(
        {"keys": [private_jwk(kid="older"), private_jwk(kid="newer")]}
    )
    with pytest.raises(CommandError, match="PEERPATH_ISSUER_KEYS is set"):
        run(*action)
    assert not folder.exists()


def test_without_a_folder_setting_create_says_what_to_set(settings):
    settings.PEERPATH_ISSUER_KEYS_DIR = None
    settings.PEERPATH_ISSUER_KEYS = None
    with pytest.raises(CommandError, match="Set PEERPATH_ISSUER_KEYS_DIR"):
        run("create")


# System checks and no key ----------------------------------------------------------------------


def test_a_working_key_passes_the_check(folder):
    keys.create_key()
    assert check_ids() == []


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        '["a list"]',
        '{"keys": "not a list"}',
        json.dumps({"keys": ["not an object"]}),
        json.dumps({"keys": [private_jwk(alg=None)]}),
        json.dumps({"keys": [private_jwk(alg="RS256")]}),
        json.dumps({"keys": [{"kty": "EC", "crv": "P-256", "alg": "ES256", "x": "AA", "y": "AA"}]}),
        json.dumps({"keys": [{**private_jwk(), "d": None}]}),
    ],
    ids=[
        "not-json",
        "list",
        "keys-not-a-list",
        "entry-not-object",
        "no-alg",
        "rs256",
        "garbage",
        "d-null",
    ],
)
def test_a_broken_key_setting_is_a_check_error(settings, value):
    settings.PEERPATH_ISSUER_KEYS = value
    assert check_ids() == ["peerpath_certificates.E003"]


def test_a_public_key_alone_is_a_check_error(settings):
    public = json.loads(jwk.JWK.generate(kty="EC", crv="P-256", kid="public").export_public())
    settings.PEERPATH_ISSUER_KEYS = json.dumps({"keys": [{**public, "alg": "ES256"}]})
    [error] = check_issuer_keys(None)
    assert error.id == "peerpath_certificates.E003" and "no private part" in error.msg


def test_an_unreadable_key_file_is_a_check_error(folder):
    keys.create_key()
    (folder / "broken.json").write_text("{not json")
    [error] = check_issuer_keys(None)
    assert error.id == "peerpath_certificates.E003" and "broken.json" in error.msg


@pytest.mark.parametrize(
    ("kty", "crv", "alg"),
    [("OKP", "Ed25519", "ES256"), ("EC", "P-256", "Ed25519"), ("EC", "P-384", "ES256")],
    ids=["okp-as-es256", "p256-as-ed25519", "p384-as-es256"],
)
def test_a_key_that_does_not_fit_its_algorithm_is_a_check_error(settings, kty, crv, alg):
    settings.PEERPATH_ISSUER_KEYS = json.dumps({"keys": [private_jwk(kty=kty, crv=crv, alg=alg)]})
    assert check_ids() == ["peerpath_certificates.E003"]


def test_a_key_that_does_not_fit_its_algorithm_is_not_a_500(settings, client, certificate):
    settings.PEERPATH_ISSUER_KEYS = json.dumps(
        {"keys": [private_jwk(kty="OKP", crv="Ed25519", alg="ES256")]}
    )
    client.raise_request_exception = False
    response = client.get(reverse("certificates:credential_jwt", args=[certificate.display_code]))
    assert response.status_code != 500


def test_no_key_is_a_check_warning(folder):
    assert check_ids() == ["peerpath_certificates.W003"]
    folder.mkdir()
    assert check_ids() == ["peerpath_certificates.W003"]


def test_without_a_key_the_signed_credential_is_a_clear_503(folder, client, certificate):
    response = client.get(reverse("certificates:credential_jwt", args=[certificate.display_code]))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "no signing key" in response.json()["error"]


def test_without_a_key_the_badge_image_carries_only_the_assertion_url(folder, client, certificate):
    response = client.get(reverse("certificates:badge_png", args=[certificate.display_code]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        text = dict(image.text)
    assert text["openbadges"].endswith(f"/{certificate.display_code}/assertion.json")
    assert "openbadgecredential" not in text


def test_without_a_key_status_lists_are_a_clear_503(folder, client, certificate):
    response = client.get(reverse("certificates:status_list", args=["revocation", 1]))
    assert response.status_code == 503 and "no signing key" in response.json()["error"]


def test_without_a_key_the_readable_copies_still_answer(folder, client, certificate):
    code = certificate.display_code
    assert client.get(reverse("certificates:credential_json", args=[code])).status_code == 200
    assert (
        client.get(reverse("certificates:status_list_json", args=["revocation", 1])).status_code
        == 200
    )
    assert json.loads(client.get("/certificates/issuer/jwks.json").content) == {"keys": []}


def test_a_key_made_while_the_site_runs_is_used_at_once(folder, client, certificate):
    url = reverse("certificates:credential_jwt", args=[certificate.display_code])
    assert client.get(url).status_code == 503
    run("create")
    assert client.get(url).status_code == 200
    verified_credential(client, certificate)
