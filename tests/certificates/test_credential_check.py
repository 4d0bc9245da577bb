"""Checking this site's own Open Badges 3.0 credentials (no network), bad input of every kind,
and the admin and public screens that run the check."""

import base64
import datetime
import json

import pytest
import requests
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from joserfc import jws
from joserfc.jwk import ECKey, OctKey

from peerpath.certificates import baking, issuing, keys, ob3
from peerpath.certificates.credential_check import (
    Check,
    Outcome,
    Reason,
    State,
    check_credential,
)
from peerpath.certificates.links import issuer_urls, status_list_url
from peerpath.certificates.models import TrustedIssuerHost
from peerpath.certificates.snapshot import recipient_identity
from peerpath.certificates.status_list import LIST_SIZE, draw_index
from tests.factories import UserFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

HOLDER_EMAIL = "jamie.okafor@example.org"
CHECK_URL = "/certificates/verify/credential/"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """This site's own credentials are checked without a single request."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"unexpected request: {args} {kwargs}")

    monkeypatch.setattr(requests, "get", refuse)


def make_certificate(**fields):
    salt = "5a1t5a1t"
    fields.setdefault("holder", UserFactory(email=HOLDER_EMAIL))
    certificate = CertificateFactory(
        status_list_index=draw_index(),
        recipient_salt=salt,
        recipient_hash=recipient_identity(HOLDER_EMAIL, salt),
        **fields,
    )
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def certificate(home_page):
    return make_certificate()


def b64(data):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def own_kid():
    return f"{issuer_urls()['jwks']}#{keys.signing_key().kid}"


def signed_with_site_key(payload, **header):
    """A compact JWS of `payload` as it stands (claims and all), signed with the site's key."""
    key = keys.signing_key()
    header = {"alg": key.alg, "typ": "vc+jwt", "kid": own_kid(), **header}
    return jws.serialize_compact(header, json.dumps(payload).encode(), key.key, [key.alg])


def timestamp(moment):
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def states(result):
    return {finding.check: finding.state for finding in result.findings}


# This site's own credentials


def test_own_credential_is_valid_and_says_what_it_is(certificate):
    result = check_credential(ob3.signed_credential(certificate))
    assert result.outcome == Outcome.VALID and result.reason == ""
    assert result.headline == "Valid"
    assert result.is_own
    assert result.credential_name == "Peer Support Group Facilitator"
    assert result.issuer_name == "PeerPath Test Network"
    assert result.issuer_id == issuer_urls()["profile"]
    assert result.valid_until.date() == certificate.expires_on
    assert result.holder_matches is None
    assert [finding.check for finding in result.findings] == list(Check)
    assert all(finding.state == State.PASSED for finding in result.findings[:-1])
    assert result.finding(Check.HOLDER).state == State.NOT_CHECKED


def test_the_holder_email_is_compared_with_the_hashed_identity(certificate):
    token = ob3.signed_credential(certificate)
    matching = check_credential(token, holder_email="  Jamie.Okafor@EXAMPLE.org ")
    assert matching.holder_matches is True
    assert matching.finding(Check.HOLDER).state == State.PASSED
    other = check_credential(token, holder_email="someone.else@example.org")
    assert other.holder_matches is False
    assert other.finding(Check.HOLDER).state == State.FAILED
    assert other.outcome == Outcome.VALID  # genuine, but not this person's: said separately


def test_an_erased_holder_cannot_be_compared(certificate):
    type(certificate).objects.filter(pk=certificate.pk).update(recipient_hash="")
    certificate.refresh_from_db()
    result = check_credential(ob3.signed_credential(certificate), holder_email=HOLDER_EMAIL)
    assert result.holder_matches is None
    assert result.finding(Check.HOLDER).state == State.NOT_CHECKED


def test_revoked_credential_is_revoked(certificate, staff_user):
    token = ob3.signed_credential(certificate)
    issuing.revoke(certificate, staff_user, "Misconduct")
    result = check_credential(token)
    assert result.outcome == Outcome.REVOKED and result.headline == "Revoked"
    assert result.finding(Check.REVOCATION).state == State.FAILED
    assert result.finding(Check.SUSPENSION).state == State.PASSED
    assert "Misconduct" not in json.dumps([finding.message for finding in result.findings])


def test_suspended_then_reinstated(certificate, staff_user):
    token = ob3.signed_credential(certificate)
    issuing.suspend(certificate, staff_user, "Complaint under review")
    assert check_credential(token).outcome == Outcome.SUSPENDED
    certificate.refresh_from_db()
    issuing.reinstate(type(certificate).objects.with_status().get(pk=certificate.pk), staff_user)
    assert check_credential(token).outcome == Outcome.VALID


def test_relinquished_credential_reads_as_revoked(certificate):
    token = ob3.signed_credential(certificate)
    issuing.relinquish(certificate)
    assert check_credential(token).outcome == Outcome.REVOKED


def test_credential_replaced_by_a_renewal_still_verifies_as_what_it_was(certificate):
    token = ob3.signed_credential(certificate)
    CertificateFactory(holder=certificate.holder, cycle=2, supersedes=certificate)
    result = check_credential(token)
    assert result.outcome == Outcome.VALID
    assert result.valid_until.date() == certificate.expires_on


def test_expired_credential(certificate):
    data = ob3.credential(certificate)
    now = datetime.datetime.now(datetime.UTC)
    data["validFrom"] = timestamp(now - datetime.timedelta(days=800))
    data["validUntil"] = timestamp(now - datetime.timedelta(days=70))
    result = check_credential(ob3.sign(data))
    assert result.outcome == Outcome.EXPIRED and result.headline == "Expired"
    assert result.finding(Check.DATES).state == State.FAILED
    assert result.finding(Check.SIGNATURE).state == State.PASSED


def test_not_yet_valid_credential(certificate):
    data = ob3.credential(certificate)
    data["validFrom"] = timestamp(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3))
    result = check_credential(ob3.sign(data))
    assert result.outcome == Outcome.NOT_YET_VALID
    assert "still to come" in result.finding(Check.DATES).message


def test_dates_are_judged_at_the_time_asked(certificate):
    token = ob3.signed_credential(certificate)
    later = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    earlier = certificate.issued_at - datetime.timedelta(days=1)
    assert check_credential(token, now=later).outcome == Outcome.EXPIRED
    assert check_credential(token, now=earlier).outcome == Outcome.NOT_YET_VALID


def test_revoked_wins_over_expired(certificate, staff_user):
    token = ob3.signed_credential(certificate)
    issuing.revoke(certificate, staff_user, "Misconduct")
    later = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    assert check_credential(token, now=later).outcome == Outcome.REVOKED


def test_status_index_out_of_range_is_a_clear_answer(certificate):
    data = ob3.credential(certificate)
    for entry in data["credentialStatus"]:
        entry["statusListIndex"] = str(LIST_SIZE + 5)
    result = check_credential(ob3.sign(data))
    assert result.outcome == Outcome.UNVERIFIED
    assert result.reason == Reason.INDEX_OUT_OF_RANGE
    assert "131072 entries" in result.finding(Check.REVOCATION).message


def test_a_status_entry_pointing_at_a_list_this_site_does_not_publish(certificate):
    data = ob3.credential(certificate)
    data["credentialStatus"][0]["statusListCredential"] = status_list_url("revocation", 99)
    result = check_credential(ob3.sign(data))
    assert result.reason == Reason.STATUS_UNAVAILABLE
    assert result.finding(Check.REVOCATION).state == State.FAILED


def test_credential_without_status_is_valid_but_says_status_was_not_checked(certificate):
    data = ob3.credential(certificate)
    del data["credentialStatus"]
    result = check_credential(ob3.sign(data))
    assert result.outcome == Outcome.VALID
    assert result.finding(Check.REVOCATION).state == State.NOT_CHECKED


# Bad input


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", Reason.MALFORMED),
        ("garbage", Reason.MALFORMED),
        ("a.b.c.d", Reason.MALFORMED),
        ("e30.e30", Reason.MALFORMED),
        ("!!!.###.$$$", Reason.MALFORMED),
        ("eyJhbGciOiJFUzI1NiJ9.x.sig", Reason.MALFORMED),
        ("bm90IGpzb24.bm90IGpzb24.c2ln", Reason.MALFORMED),
        ("W10.W10.c2ln", Reason.MALFORMED),
        ("{not json", Reason.MALFORMED),
        ("[" * 50_000, Reason.MALFORMED),
        ("[1, 2]", Reason.NOT_A_CREDENTIAL),
        ('{"hello": "world"}', Reason.NOT_A_CREDENTIAL),
        ("x" * (64 * 1024 + 1), Reason.TOO_LARGE),
        ("é" * (40 * 1024), Reason.TOO_LARGE),
    ],
    ids=[
        "empty",
        "garbage",
        "three-dots",
        "two-parts",
        "not-base64url",
        "payload-one-char",
        "not-json",
        "not-objects",
        "broken-json",
        "deeply-nested",
        "json-list",
        "other-json",
        "huge",
        "huge-multibyte",
    ],
)
def test_malformed_input_gets_a_clear_answer(db, text, reason):
    result = check_credential(text)
    assert result.outcome == Outcome.INVALID
    assert result.reason == reason
    assert result.findings[0].check == Check.FORMAT
    assert result.findings[0].state == State.FAILED and result.findings[0].message
    assert all(finding.state == State.NOT_CHECKED for finding in result.findings[1:])


def test_binary_that_is_not_an_image_is_refused_plainly(db):
    result = check_credential(b"\xff\xfe\x00garbage\x81")
    assert result.reason == Reason.MALFORMED
    assert "neither text nor a PNG image" in result.summary


def test_a_pasted_token_wrapped_over_lines_still_reads(certificate):
    token = ob3.signed_credential(certificate)
    wrapped = "\n".join(token[i : i + 60] for i in range(0, len(token), 60))
    assert check_credential(f"  {wrapped}\n").outcome == Outcome.VALID


@pytest.mark.parametrize("alg", ["none", "None", "NONE"], ids=["lower", "title", "upper"])
def test_alg_none_is_refused_as_unsigned(certificate, alg):
    payload = ob3.credential(certificate)
    token = f"{b64({'alg': alg, 'kid': own_kid()})}.{b64(payload)}."
    result = check_credential(token)
    assert result.reason == Reason.UNSIGNED and result.headline == "Not signed"
    assert result.finding(Check.ALGORITHM).state == State.FAILED
    assert result.finding(Check.SIGNATURE).state == State.NOT_CHECKED


def test_hs256_is_refused_and_named(certificate):
    secret = OctKey.generate_key(256)
    header = {"alg": "HS256", "kid": own_kid()}
    token = jws.serialize_compact(header, json.dumps(ob3.credential(certificate)), secret)
    result = check_credential(token)
    assert result.reason == Reason.UNSUPPORTED_ALG
    assert "HS256" in result.summary and "ES256 and Ed25519" in result.summary


def test_a_tampered_payload_does_not_match_its_signature(certificate):
    header, _payload, signature = ob3.signed_credential(certificate).split(".")
    forged = ob3.credential(certificate)
    forged["name"] = "Master Facilitator"
    token = f"{header}.{b64({**forged, 'iss': forged['issuer']['id']})}.{signature}"
    result = check_credential(token)
    assert result.reason == Reason.BAD_SIGNATURE
    assert result.headline == "Signature does not match"
    assert result.credential_name == ""  # nothing unverified is repeated as fact


def test_signed_by_a_key_the_site_does_not_publish(certificate):
    impostor = ECKey.generate_key("P-256")
    header = {"alg": "ES256", "kid": own_kid()}
    token = jws.serialize_compact(header, json.dumps(ob3.credential(certificate)), impostor)
    assert check_credential(token).reason == Reason.BAD_SIGNATURE


@pytest.mark.parametrize(
    "kid",
    [None, "", "#nonexistent", "nonexistent"],
    ids=["missing", "empty", "unknown-fragment", "not-a-url"],
)
def test_unknown_or_missing_key(certificate, kid):
    data = ob3.credential(certificate)
    header = {"alg": "ES256"}
    if kid is not None:
        header["kid"] = f"{issuer_urls()['jwks']}{kid}" if kid.startswith("#") else kid
    key = keys.signing_key()
    token = jws.serialize_compact(header, json.dumps(data), key.key, [key.alg])
    result = check_credential(token)
    assert result.reason == Reason.UNKNOWN_KEY
    assert result.finding(Check.KEY).state == State.FAILED


def test_a_signed_document_that_is_not_a_credential(db):
    result = check_credential(signed_with_site_key({"hello": "world"}))
    assert result.reason == Reason.NOT_A_CREDENTIAL
    assert result.finding(Check.SIGNATURE).state == State.PASSED
    assert result.finding(Check.CREDENTIAL).state == State.FAILED


def test_claims_that_disagree_with_the_credential(certificate):
    data = ob3.credential(certificate)
    payload = {**data, "iss": data["issuer"]["id"], "nbf": 1, "exp": 2}
    result = check_credential(signed_with_site_key(payload))
    assert result.reason == Reason.CLAIMS_MISMATCH
    assert "nbf" in result.summary and "exp" in result.summary


def test_the_readable_copy_is_not_proof(certificate):
    result = check_credential(json.dumps(ob3.credential(certificate)))
    assert result.reason == Reason.UNSIGNED
    assert "no signature" in result.summary and ".jwt" in result.summary


def test_an_embedded_proof_is_not_read(certificate):
    data = {**ob3.credential(certificate), "proof": {"type": "DataIntegrityProof"}}
    result = check_credential(json.dumps(data))
    assert result.reason == Reason.UNSUPPORTED_ALG
    assert "DataIntegrityProof" in result.summary


def test_an_enveloped_credential_is_unwrapped(certificate):
    token = ob3.signed_credential(certificate)
    envelope = {"type": "EnvelopedVerifiableCredential", "id": f"data:application/vc+jwt,{token}"}
    assert check_credential(json.dumps(envelope)).outcome == Outcome.VALID


def test_a_baked_badge_image_is_read(certificate):
    png = baking.baked_png(certificate, ob3.signed_credential(certificate))
    result = check_credential(png)
    assert result.outcome == Outcome.VALID
    assert "badge image" in result.finding(Check.FORMAT).message


def test_a_badge_image_with_only_the_open_badges_2_link(certificate):
    result = check_credential(baking.baked_png(certificate))
    assert result.reason == Reason.NOT_A_CREDENTIAL
    assert "Open Badges 2.0" in result.summary


def test_a_broken_png_is_refused_plainly(db):
    result = check_credential(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    assert result.reason == Reason.MALFORMED
    assert "not a readable PNG" in result.summary


def test_a_png_claiming_huge_dimensions_is_not_decoded(db):
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (50_000).to_bytes(4, "big") * 2
    assert check_credential(header + b"\x00" * 20).reason == Reason.TOO_LARGE


# The admin screen


def admin_url():
    return reverse("credentials_admin:check")


def test_admin_screen_sends_anonymous_visitors_to_log_in(client):
    response = client.get(admin_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_admin_screen_is_not_for_learners(client, user):
    client.force_login(user)
    response = client.get(admin_url())
    assert response.status_code in (302, 403)
    assert b"Check a credential" not in response.content


def test_admin_screen_needs_the_certificate_view_permission(client):
    member = UserFactory(is_staff=True)
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)
    response = client.get(admin_url())
    # Wagtail answers a refused admin page with a redirect to the dashboard and a message.
    assert response.status_code in (302, 403)
    assert b"Paste the credential" not in response.content


def test_staff_check_a_pasted_credential(client, staff_user, certificate):
    client.force_login(staff_user)
    assert client.get(admin_url()).status_code == 200
    response = client.post(
        admin_url(),
        {"credential": ob3.signed_credential(certificate), "holder_email": HOLDER_EMAIL},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html and "Peer Support Group Facilitator" in html
    assert "Matches the address given" in html
    assert HOLDER_EMAIL in html  # kept in the form for the next check, nowhere else stored


def test_staff_upload_a_baked_png(client, staff_user, certificate):
    client.force_login(staff_user)
    png = baking.baked_png(certificate, ob3.signed_credential(certificate))
    upload = SimpleUploadedFile("badge.png", png, content_type="image/png")
    response = client.post(admin_url(), {"upload": upload})
    assert response.status_code == 200
    assert response.context["result"].outcome == Outcome.VALID


def test_staff_upload_garbage_gets_a_clear_message(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("badge.png", b"\x00\xffnot an image", content_type="image/png")
    response = client.post(admin_url(), {"upload": upload})
    assert response.status_code == 200
    assert "neither text nor a PNG image" in response.content.decode()


def test_untrusted_issuer_offers_admins_the_trusted_list(client, staff_user):
    client.force_login(staff_user)
    header = {"alg": "ES256", "kid": "https://other.example/certificates/issuer/jwks.json#k1"}
    payload = {"iss": "https://other.example/certificates/issuer/profile.json"}
    token = f"{b64(header)}.{b64(payload)}.c2ln"
    response = client.post(admin_url(), {"credential": token})
    html = response.content.decode()
    assert "Issuer not on the trusted list" in html
    assert reverse("trusted_issuers:add") in html


def test_admin_form_needs_exactly_one_credential(client, staff_user, certificate):
    client.force_login(staff_user)
    assert client.post(admin_url(), {}).status_code == 400
    both = {
        "credential": "abc",
        "upload": SimpleUploadedFile("c.jwt", b"abc", content_type="application/vc+jwt"),
    }
    response = client.post(admin_url(), both)
    assert response.status_code == 400 and "not both" in response.content.decode()


def test_admin_refuses_an_upload_over_one_megabyte(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"\x00" * (1024 * 1024))
    response = client.post(admin_url(), {"upload": upload})
    assert response.status_code == 400 and "larger than 1 MB" in response.content.decode()


# Trusted issuers


def test_a_superuser_adds_a_trusted_issuer_host(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("trusted_issuers:index")).status_code == 200
    response = client.post(
        reverse("trusted_issuers:add"),
        {"host": "HTTPS://Certificates.Example.ORG/", "note": "Partner network"},
    )
    assert response.status_code == 302
    host = TrustedIssuerHost.objects.get()
    assert host.host == "certificates.example.org"
    assert host.added_by == staff_user


def test_a_host_that_is_not_a_host_name_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("trusted_issuers:add"), {"host": "not a host!", "note": ""})
    assert response.status_code == 200 and not TrustedIssuerHost.objects.exists()


def test_certificate_staff_without_the_permissions_cannot_manage_trusted_issuers(client):
    member = UserFactory(is_staff=True)
    member.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_certificate"])
    )
    client.force_login(member)
    assert client.get(admin_url()).status_code == 200
    for name in ("trusted_issuers:index", "trusted_issuers:add"):
        assert client.get(reverse(name)).status_code in (302, 403)
    response = client.post(reverse("trusted_issuers:add"), {"host": "evil.example"})
    assert response.status_code in (302, 403)
    assert not TrustedIssuerHost.objects.exists()


# The public form


def test_the_public_form_route_is_not_taken_for_a_verification_code(client):
    assert reverse("certificates:check_credential") == CHECK_URL
    response = client.get(CHECK_URL)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_the_public_form_checks_a_credential(client, certificate):
    response = client.post(CHECK_URL, {"credential": ob3.signed_credential(certificate)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html and "What was checked" in html
    assert "Signature: passed." in html


def test_the_public_form_says_plainly_when_revoked(client, certificate, staff_user):
    token = ob3.signed_credential(certificate)
    issuing.revoke(certificate, staff_user, "Misconduct")
    html = client.post(CHECK_URL, {"credential": token}).content.decode()
    assert "Revoked" in html and "Misconduct" not in html


def test_the_public_form_reads_a_baked_png(client, certificate):
    png = baking.baked_png(certificate, ob3.signed_credential(certificate))
    upload = SimpleUploadedFile("badge.png", png, content_type="image/png")
    response = client.post(CHECK_URL, {"upload": upload})
    assert response.context["result"].outcome == Outcome.VALID


def test_the_public_form_answers_garbage_upload_plainly(client):
    upload = SimpleUploadedFile("badge.png", b"GIF89a\x00\xff\xfe", content_type="image/png")
    response = client.post(CHECK_URL, {"upload": upload})
    assert response.status_code == 200
    assert "neither text nor a PNG image" in response.content.decode()


def test_the_public_form_never_fails_on_huge_text(client):
    response = client.post(CHECK_URL, {"credential": "x" * 200_000})
    assert response.status_code == 200
    assert response.context["result"].reason == Reason.TOO_LARGE


def test_the_public_form_refuses_a_post_without_csrf_token(certificate):
    client = Client(enforce_csrf_checks=True)
    response = client.post(CHECK_URL, {"credential": ob3.signed_credential(certificate)})
    assert response.status_code == 403


@override_settings(PEERPATH_CREDENTIAL_CHECK_RATE_LIMIT=(2, 60))
def test_the_public_form_is_rate_limited(client, certificate):
    token = ob3.signed_credential(certificate)
    for _attempt in range(2):
        assert client.post(CHECK_URL, {"credential": token}).status_code == 200
    response = client.post(CHECK_URL, {"credential": token})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert client.get(CHECK_URL).status_code == 200  # reading the form costs nothing


def test_the_certification_menu_lists_the_new_screens(client, staff_user):
    client.force_login(staff_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Check a credential" in html and reverse("credentials_admin:check") in html
    assert "Trusted credential issuers" in html


def _status(data, **changes):
    for entry in data["credentialStatus"]:
        entry.update(changes)


ODD_SHAPES = {
    "issuer-list": lambda d: d.update(issuer=["x"]),
    "subject-list": lambda d: d.update(credentialSubject=[d["credentialSubject"]]),
    "achievement-string": lambda d: d["credentialSubject"].update(achievement="x"),
    "valid-from-number": lambda d: d.update(validFrom=12345),
    "valid-from-year-1": lambda d: d.update(validFrom="0001-01-01T00:00:00+05:00"),
    "valid-until-year-9999": lambda d: d.update(validUntil="9999-12-31T23:59:59-05:00"),
    "valid-from-naive": lambda d: d.update(validFrom="2020-01-01T00:00:00"),
    "status-string": lambda d: d.update(credentialStatus="revoked"),
    "status-index-negative": lambda d: _status(d, statusListIndex="-1"),
    "status-index-list": lambda d: _status(d, statusListIndex=[1]),
    "status-index-huge": lambda d: _status(d, statusListIndex="9" * 40),
    "status-url-number": lambda d: _status(d, statusListCredential=5),
    "status-url-broken": lambda d: _status(d, statusListCredential="http://[::1"),
    "status-url-other-site": lambda d: _status(d, statusListCredential="https://x.example/s/1"),
    "identifier-dict": lambda d: d["credentialSubject"].update(identifier={"identityHash": 5}),
    "identifier-plain": lambda d: d["credentialSubject"].update(
        identifier=[{"identityType": "emailAddress", "hashed": False, "identityHash": 7}]
    ),
    "type-object": lambda d: d.update(type={"a": 1}),
    "context-nested": lambda d: d.update({"@context": [[1], {"a": 2}]}),
    "name-object": lambda d: d.update(name={"en": "x"}),
}


@pytest.mark.parametrize("change", list(ODD_SHAPES.values()), ids=list(ODD_SHAPES))
def test_oddly_shaped_signed_credentials_get_an_answer(certificate, change):
    data = ob3.credential(certificate)
    change(data)
    issuer = data["issuer"]["id"] if isinstance(data["issuer"], dict) else data["issuer"]
    for claims in ({"iss": issuer}, {"iss": issuer, "nbf": "x", "exp": None}):
        result = check_credential(signed_with_site_key({**data, **claims}), holder_email="a@b.c")
        assert result.outcome in Outcome.values and result.headline and result.summary


def test_the_older_vc_claim_form_is_read(certificate):
    data = ob3.credential(certificate)
    token = ob3.sign(data)
    payload = json.loads(jws.extract_compact(token.encode()).payload)
    claims = {name: payload[name] for name in ("iss", "jti", "nbf", "exp")}
    assert check_credential(signed_with_site_key({"vc": data, **claims})).is_valid
