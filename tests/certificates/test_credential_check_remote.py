"""Checking another PeerPath site's credential: its keys and status lists are fetched only from a
trusted host, over HTTPS, without redirects, within a deadline and a size cap. `requests` is
replaced by a fake in every test, and sockets refuse to connect: no test touches the network."""

import datetime
import json
import socket

import pytest
import requests
import urllib3
from django.test import override_settings
from joserfc import jws
from joserfc.jwk import ECKey, OKPKey

from peerpath.certificates import remote
from peerpath.certificates.credential_check import (
    Check,
    Outcome,
    Reason,
    State,
    check_credential,
)
from peerpath.certificates.models import TrustedIssuerHost
from peerpath.certificates.remote import RemoteError, fetch
from peerpath.certificates.snapshot import recipient_identity
from peerpath.certificates.status_list import LIST_SIZE, encode

pytestmark = pytest.mark.django_db

HOST = "other.example"
SITE = f"https://{HOST}"
PROFILE = f"{SITE}/certificates/issuer/profile.json"
JWKS = f"{SITE}/certificates/issuer/jwks.json"
REVOCATION_LIST = f"{SITE}/certificates/status/revocation/1"
SUSPENSION_LIST = f"{SITE}/certificates/status/suspension/1"
POSITION = 4242
HOLDER_EMAIL = "sam.rivera@example.net"
NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def stamp(moment):
    return moment.isoformat().replace("+00:00", "Z")


class Issuer:
    """Another PeerPath site: its key, its published key set and what it signs."""

    def __init__(self, alg="ES256", site=SITE):
        self.alg = alg
        self.site = site
        self.key = (
            ECKey.generate_key("P-256", auto_kid=True)
            if alg == "ES256"
            else OKPKey.generate_key("Ed25519", auto_kid=True)
        )
        self.kid = f"{site}/certificates/issuer/jwks.json#{self.key.kid}"
        self.profile = f"{site}/certificates/issuer/profile.json"

    def jwks(self):
        public = self.key.as_dict(private=False)
        public.update(kid=self.key.kid, alg=self.alg, use="sig")
        return json.dumps({"keys": [public]})

    def sign(self, payload, key=None, kid=None):
        header = {"alg": self.alg, "typ": "vc+jwt", "kid": kid or self.kid}
        return jws.serialize_compact(
            header, json.dumps(payload).encode(), key or self.key, [self.alg]
        )

    def credential(self, *, valid_from=None, valid_until=None, position=POSITION, **extra):
        valid_from = valid_from or NOW - datetime.timedelta(days=30)
        valid_until = valid_until or NOW + datetime.timedelta(days=700)
        salt = "c0ffee"
        data = {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": f"{self.site}/certificates/ABCD/credential.json",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": "Peer Support Group Facilitator",
            "issuer": {"id": self.profile, "type": ["Profile"], "name": "Northern Peer Network"},
            "validFrom": stamp(valid_from),
            "validUntil": stamp(valid_until),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {"id": f"{self.site}/a", "type": ["Achievement"], "name": "PSGF"},
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityType": "emailAddress",
                        "hashed": True,
                        "identityHash": recipient_identity(HOLDER_EMAIL, salt),
                        "salt": salt,
                    }
                ],
            },
            "credentialStatus": [
                {
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": purpose,
                    "statusListIndex": str(position),
                    "statusListCredential": url,
                }
                for purpose, url in (
                    ("revocation", REVOCATION_LIST),
                    ("suspension", SUSPENSION_LIST),
                )
            ],
            **extra,
        }
        claims = {
            "iss": self.profile,
            "jti": data["id"],
            "nbf": int(valid_from.timestamp()),
            "exp": int(valid_until.timestamp()),
        }
        return self.sign({**data, **claims})

    def status_list(self, purpose, url, set_positions=(), size=LIST_SIZE, key=None, **overrides):
        bits = bytearray(size // 8)
        for position in set_positions:
            bits[position // 8] |= 0x80 >> (position % 8)
        data = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self.profile,
            "validFrom": stamp(NOW - datetime.timedelta(minutes=5)),
            "validUntil": stamp(NOW + datetime.timedelta(days=1)),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": encode(bytes(bits)),
            },
        }
        data.update(overrides)
        return self.sign({**data, "iss": self.profile}, key=key)


class FakeResponse:
    """An answer as `requests` gives it with stream=True: status, headers, and a raw body read
    piece by piece (each read may move a fake clock on, as a slow server would)."""

    def __init__(self, body=b"", status_code=200, headers=None, chunk=1024, clock=None, tick=0):
        self.body = body.encode() if isinstance(body, str) else body
        self.status_code = status_code
        self.headers = headers or {}
        self.chunk = chunk
        self.clock = clock
        self.tick = tick
        self.chunks_sent = 0
        self.offset = 0
        self.closed = False
        self.raw = self

    def read1(self, amt, decode_content=True):
        if self.offset >= len(self.body):
            return b""
        if self.clock is not None:
            self.clock.now += self.tick
        self.chunks_sent += 1
        piece = self.body[self.offset : self.offset + min(self.chunk, amt)]
        self.offset += len(piece)
        return piece

    def close(self):
        self.closed = True


class FakeWeb:
    """Stands in for `requests.get`: answers from `pages`, and remembers every request."""

    def __init__(self):
        self.pages = {}
        self.requests = []

    def get(self, url, **kwargs):
        self.requests.append((url, kwargs))
        page = self.pages.get(url)
        if page is None:
            return FakeResponse(b"Not found", status_code=404)
        if isinstance(page, Exception):
            raise page
        return page

    @property
    def urls(self):
        return [url for url, _kwargs in self.requests]


@pytest.fixture(autouse=True)
def web(monkeypatch):
    def no_sockets(*args, **kwargs):
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_sockets)
    fake = FakeWeb()
    monkeypatch.setattr(requests, "get", fake.get)
    return fake


@pytest.fixture
def issuer():
    return Issuer()


@pytest.fixture
def trusted(db):
    return TrustedIssuerHost.objects.create(host=HOST, note="Partner network")


def publish(web, issuer, revoked=(), suspended=()):
    web.pages[JWKS] = FakeResponse(issuer.jwks())
    web.pages[REVOCATION_LIST] = FakeResponse(
        issuer.status_list("revocation", REVOCATION_LIST, revoked)
    )
    web.pages[SUSPENSION_LIST] = FakeResponse(
        issuer.status_list("suspension", SUSPENSION_LIST, suspended)
    )


# Trusted or not


def test_untrusted_host_is_never_contacted(web, issuer):
    publish(web, issuer)
    result = check_credential(issuer.credential())
    assert web.requests == []
    assert result.outcome == Outcome.UNVERIFIED
    assert result.reason == Reason.UNTRUSTED_ISSUER
    assert result.issuer_host == HOST
    assert "not on this site's list of trusted issuers" in result.summary
    assert result.finding(Check.SIGNATURE).state == State.NOT_CHECKED


def test_trusted_issuer_credential_is_valid(web, issuer, trusted):
    publish(web, issuer)
    result = check_credential(issuer.credential(), holder_email=HOLDER_EMAIL)
    assert result.outcome == Outcome.VALID, result.findings
    assert not result.is_own
    assert result.issuer_name == "Northern Peer Network" and result.issuer_id == PROFILE
    assert result.holder_matches is True
    assert web.urls == [JWKS, REVOCATION_LIST, SUSPENSION_LIST]  # the key set once
    for _url, kwargs in web.requests:
        assert kwargs["allow_redirects"] is False and kwargs["stream"] is True
        assert kwargs["timeout"]


def test_ed25519_issuer_is_accepted(web, trusted):
    issuer = Issuer(alg="Ed25519")
    publish(web, issuer)
    result = check_credential(issuer.credential())
    assert result.outcome == Outcome.VALID
    assert result.finding(Check.ALGORITHM).message == "Signed with Ed25519."


def test_network_can_be_turned_off(web, issuer, trusted):
    publish(web, issuer)
    result = check_credential(issuer.credential(), allow_network=False)
    assert web.requests == []
    assert result.reason == Reason.FETCH_FAILED


def test_http_kid_is_refused_without_a_request(web, trusted):
    issuer = Issuer(site=f"http://{HOST}")
    result = check_credential(issuer.credential())
    assert web.requests == []
    # Not "untrusted": trusting the host would not help, the address itself is refused.
    assert result.reason == Reason.UNKNOWN_KEY
    assert "HTTPS" in result.summary


def test_key_on_another_host_than_the_issuer_is_refused(web, issuer, trusted):
    TrustedIssuerHost.objects.create(host="keys.example")
    payload = json.loads(jws.extract_compact(issuer.credential().encode()).payload)
    forged = issuer.sign(payload, kid="https://keys.example/jwks.json#k1")
    result = check_credential(forged)
    assert web.requests == []
    assert result.reason == Reason.UNKNOWN_KEY
    assert "names another site as its issuer" in result.summary


# Fetching the key set


def test_redirects_are_refused(web, issuer, trusted):
    web.pages[JWKS] = FakeResponse(status_code=302, headers={"Location": "http://169.254.169.254/"})
    result = check_credential(issuer.credential())
    assert result.reason == Reason.FETCH_FAILED
    assert "redirects are not followed" in result.summary
    assert web.urls == [JWKS]


def test_a_huge_key_set_is_refused_by_its_declared_length(web, issuer, trusted):
    response = FakeResponse(issuer.jwks(), headers={"Content-Length": str(10 * 1024 * 1024)})
    web.pages[JWKS] = response
    result = check_credential(issuer.credential())
    assert result.reason == Reason.FETCH_FAILED
    assert "larger than 256 KB" in result.summary
    assert response.chunks_sent == 0 and response.closed


def test_a_huge_key_set_is_refused_as_soon_as_it_passes_the_cap(web, issuer, trusted):
    response = FakeResponse(b" " * (5 * 1024 * 1024), chunk=64 * 1024)
    web.pages[JWKS] = response
    result = check_credential(issuer.credential())
    assert result.reason == Reason.FETCH_FAILED
    # Read 16 KB at a time: 256 KB, then the piece that passed the cap; nothing more.
    assert response.offset == 256 * 1024 + 16 * 1024


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_slow_key_set_hits_the_deadline(web, issuer, trusted, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(remote.time, "monotonic", clock)
    response = FakeResponse(issuer.jwks(), chunk=16, clock=clock, tick=1.0)
    web.pages[JWKS] = response
    result = check_credential(issuer.credential())
    assert result.reason == Reason.FETCH_FAILED
    assert "took more than 3 seconds" in result.summary
    assert response.chunks_sent == 4


@pytest.mark.parametrize(
    "failure",
    [requests.ConnectTimeout("slow"), requests.ConnectionError("refused")],
    ids=["timeout", "connection-error"],
)
def test_an_unreachable_issuer(web, issuer, trusted, failure):
    web.pages[JWKS] = failure
    result = check_credential(issuer.credential())
    assert result.outcome == Outcome.UNVERIFIED and result.reason == Reason.FETCH_FAILED
    assert "Could not reach other.example" in result.summary


@pytest.mark.parametrize(
    "body",
    ["not json", "[]", '{"keys": "nope"}', b"\xff\xfe"],
    ids=["not-json", "list", "keys-not-list", "not-text"],
)
def test_a_key_set_that_cannot_be_read(web, issuer, trusted, body):
    web.pages[JWKS] = FakeResponse(body)
    assert check_credential(issuer.credential()).reason == Reason.FETCH_FAILED


def test_a_kid_missing_from_the_key_set(web, issuer, trusted):
    web.pages[JWKS] = FakeResponse(Issuer().jwks())
    result = check_credential(issuer.credential())
    assert result.reason == Reason.UNKNOWN_KEY
    assert result.outcome == Outcome.INVALID


def test_a_key_of_the_wrong_type(web, issuer, trusted):
    other = Issuer(alg="Ed25519")
    keys = json.loads(other.jwks())
    keys["keys"][0]["kid"] = issuer.key.kid
    web.pages[JWKS] = FakeResponse(json.dumps(keys))
    assert check_credential(issuer.credential()).reason == Reason.BAD_SIGNATURE


def test_a_credential_signed_by_another_key_than_the_published_one(web, issuer, trusted):
    publish(web, issuer)
    impostor = ECKey.generate_key("P-256")
    token = issuer.credential()
    forged = issuer.sign(json.loads(jws.extract_compact(token.encode()).payload), key=impostor)
    assert check_credential(forged).reason == Reason.BAD_SIGNATURE


# Status lists


def test_remote_revocation_list_is_read(web, issuer, trusted):
    publish(web, issuer, revoked=[POSITION])
    result = check_credential(issuer.credential())
    assert result.outcome == Outcome.REVOKED
    assert result.finding(Check.REVOCATION).state == State.FAILED


def test_remote_suspension_list_is_read(web, issuer, trusted):
    publish(web, issuer, suspended=[POSITION])
    assert check_credential(issuer.credential()).outcome == Outcome.SUSPENDED


def test_another_bit_set_does_not_touch_this_credential(web, issuer, trusted):
    publish(web, issuer, revoked=[POSITION + 1, POSITION - 1])
    assert check_credential(issuer.credential()).outcome == Outcome.VALID


def test_remote_index_out_of_range(web, issuer, trusted):
    publish(web, issuer)
    result = check_credential(issuer.credential(position=LIST_SIZE + 1))
    assert result.reason == Reason.INDEX_OUT_OF_RANGE
    assert result.finding(Check.SIGNATURE).state == State.PASSED


def test_a_missing_status_list_leaves_the_status_open(web, issuer, trusted):
    web.pages[JWKS] = FakeResponse(issuer.jwks())
    result = check_credential(issuer.credential())
    assert result.outcome == Outcome.UNVERIFIED
    assert result.reason == Reason.STATUS_UNAVAILABLE
    assert "HTTP 404" in result.finding(Check.REVOCATION).message


def test_a_status_list_signed_by_another_key_is_not_believed(web, issuer, trusted):
    publish(web, issuer)
    impostor = ECKey.generate_key("P-256")
    web.pages[REVOCATION_LIST] = FakeResponse(
        issuer.status_list("revocation", REVOCATION_LIST, [POSITION], key=impostor)
    )
    result = check_credential(issuer.credential())
    assert result.outcome == Outcome.UNVERIFIED  # the forged "revoked" bit is not believed
    assert result.reason == Reason.STATUS_UNAVAILABLE
    assert "signature does not match" in result.finding(Check.REVOCATION).message


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"issuer": "https://other.example/someone-else"}, "names another issuer"),
        ({"id": SUSPENSION_LIST}, "not the list the credential points at"),
        ({"type": ["VerifiableCredential"]}, "not a Bitstring Status List"),
        ({"validUntil": stamp(NOW - datetime.timedelta(hours=1))}, "was valid until"),
    ],
    ids=["other-issuer", "other-list", "not-a-list", "stale"],
)
def test_a_status_list_that_does_not_fit_is_not_used(web, issuer, trusted, overrides, words):
    publish(web, issuer)
    web.pages[REVOCATION_LIST] = FakeResponse(
        issuer.status_list("revocation", REVOCATION_LIST, **overrides)
    )
    result = check_credential(issuer.credential())
    assert result.reason == Reason.STATUS_UNAVAILABLE
    assert words in result.finding(Check.REVOCATION).message


def test_a_status_list_of_the_wrong_purpose(web, issuer, trusted):
    publish(web, issuer)
    web.pages[REVOCATION_LIST] = FakeResponse(issuer.status_list("suspension", REVOCATION_LIST))
    result = check_credential(issuer.credential())
    assert "another purpose" in result.finding(Check.REVOCATION).message


def test_a_status_list_that_is_not_signed(web, issuer, trusted):
    publish(web, issuer)
    web.pages[REVOCATION_LIST] = FakeResponse('{"type": "BitstringStatusListCredential"}')
    result = check_credential(issuer.credential())
    assert result.reason == Reason.STATUS_UNAVAILABLE
    assert "cannot be trusted" in result.finding(Check.REVOCATION).message


def test_expired_remote_credential_is_expired_and_its_lists_still_read(web, issuer, trusted):
    publish(web, issuer)
    token = issuer.credential(
        valid_from=NOW - datetime.timedelta(days=900),
        valid_until=NOW - datetime.timedelta(days=100),
    )
    assert check_credential(token).outcome == Outcome.EXPIRED


# remote.fetch on its own


@pytest.mark.parametrize(
    "url",
    [
        "http://other.example/jwks.json",
        "https://untrusted.example/jwks.json",
        "https://user:secret@other.example/jwks.json",
        "ftp://other.example/jwks.json",
        "not a url",
        "",
    ],
    ids=["http", "untrusted", "userinfo", "ftp", "not-a-url", "empty"],
)
def test_fetch_refuses_addresses_it_may_not_use(web, trusted, url):
    with pytest.raises(RemoteError) as raised:
        fetch(url, purpose="issuer's key set")
    assert raised.value.refused and raised.value.message
    assert web.requests == []


@override_settings(PEERPATH_CREDENTIAL_FETCH={"TIMEOUT_SECONDS": 3, "MAX_BYTES": 10})
def test_fetch_cap_is_a_setting(web, trusted):
    web.pages[JWKS] = FakeResponse(b"x" * 11)
    with pytest.raises(RemoteError, match="larger than"):
        fetch(JWKS, purpose="issuer's key set")
    web.pages[JWKS] = FakeResponse(b"x" * 10)
    assert fetch(JWKS, purpose="issuer's key set") == "x" * 10


def test_fetch_reports_an_error_status(web, trusted):
    web.pages[JWKS] = FakeResponse(b"oops", status_code=500)
    with pytest.raises(RemoteError, match="HTTP 500"):
        fetch(JWKS, purpose="issuer's key set")


def test_a_trickle_is_cut_off_at_the_deadline(web, trusted, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(remote.time, "monotonic", clock)
    response = FakeResponse(b"x" * 100_000, chunk=1, clock=clock, tick=0.5)
    web.pages[JWKS] = response
    with pytest.raises(RemoteError, match="took more than 3 seconds"):
        fetch(JWKS, purpose="issuer's key set")
    assert response.chunks_sent == 7 and response.closed


def test_a_transport_error_while_reading_is_a_plain_failure(web, trusted):
    class Broken(FakeResponse):
        def read1(self, amt, decode_content=True):
            raise urllib3.exceptions.ProtocolError("connection broken")

    web.pages[JWKS] = Broken(b"{}")
    with pytest.raises(RemoteError, match="could not be read in full"):
        fetch(JWKS, purpose="issuer's key set")
