"""Bitstring Status Lists: the encoding (checked against bits built by hand and decoded without the
module), what sets each purpose's bit, the published lists (verified with jwcrypto), the random
indexes and the migration that gave older certificates theirs."""

import base64
import gzip
import importlib
import json
import random

import pytest
from django.apps import apps
from django.urls import reverse

from peerpath.certificates import issuing, status_list
from peerpath.certificates.models import Certificate
from peerpath.certificates.status_list import LIST_SIZE, StatusListError
from tests.factories import UserFactory

from .factories import CertificateFactory, certificate_in_status
from .vc import REGISTERED_CLAIMS, status_bits, status_flags, verify

pytestmark = pytest.mark.django_db

BACKFILL = importlib.import_module("peerpath.certificates.migrations.0010_open_badges_3")
NEITHER = {"revocation": False, "suspension": False}
REVOKED = {"revocation": True, "suspension": False}
SUSPENDED = {"revocation": False, "suspension": True}


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def list_url(purpose, number, suffix=""):
    return reverse(f"certificates:status_list{suffix}", args=[purpose, number])


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def hand_built():
    """16 KB with entries 0, 1, 9, 8 * 100 + 7 and the last one set, written out byte by byte:
    entry 0 is the first byte's most significant bit."""
    bits = bytearray(LIST_SIZE // 8)
    bits[0] = 0b1100_0000  # entries 0 and 1
    bits[1] = 0b0100_0000  # entry 9
    bits[100] = 0b0000_0001  # entry 807
    bits[-1] = 0b0000_0001  # entry 131071
    return bytes(bits)


# The encoding --------------------------------------------------------------------------------


def test_round_trip_keeps_every_bit_in_order():
    bits = hand_built()
    encoded = status_list.encode(bits)
    assert status_list.decode(encoded) == bits
    set_entries = [n for n in range(LIST_SIZE) if status_list.bit_is_set(bits, n)]
    assert set_entries == [0, 1, 9, 807, LIST_SIZE - 1]


def test_encoding_is_multibase_base64url_of_gzip_as_the_specification_says():
    bits = hand_built()
    encoded = status_list.encode(bits)
    assert encoded.startswith("u") and "=" not in encoded
    assert set(encoded[1:]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    body = encoded[1:]
    # Decoded here with the standard library alone, not with the module's decoder.
    assert gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) == bits
    # And a list encoded elsewhere (standard GZIP, padding kept) is read the same.
    assert status_list.decode("u" + base64.urlsafe_b64encode(gzip.compress(bits)).decode()) == bits


def test_positions_are_set_most_significant_bit_first(certificate, staff_user):
    """The list the site publishes sets the bit a hand-built list would."""
    Certificate.objects.filter(pk=certificate.pk).update(status_list_index=8 * 5 + 2)
    issuing.revoke(certificate, staff_user, "Misconduct")
    bits = status_list.decode(status_list.encoded_list("revocation", 1))
    expected = bytearray(LIST_SIZE // 8)
    expected[5] = 0b0010_0000
    assert bits == bytes(expected)


def test_a_list_is_at_least_16_kilobytes(client, certificate):
    assert LIST_SIZE >= 131_072
    for purpose in status_list.PURPOSES:
        bits = status_bits(client, "http://testserver" + list_url(purpose, 1))
        assert len(bits) == 16 * 1024 and not any(bits)


@pytest.mark.parametrize(
    "encoded",
    [
        b64url(gzip.compress(bytes(16))),  # no multibase prefix
        "z" + b64url(gzip.compress(bytes(16))),  # base58 multibase
        None,
        42,
        "uA",  # not base64 (one character left over)
        "u" + b64url(b"plain bytes, never compressed"),  # not GZIP
        "u" + b64url(b"\x1f\x8c" + gzip.compress(bytes(16))[2:]),  # a wrong GZIP magic number
        "u" + b64url(gzip.compress(bytes(16))[:10] + b"\xff" * 8),  # garbage after the header
    ],
    ids=[
        "no-prefix",
        "base58",
        "none",
        "number",
        "bad-base64",
        "not-gzip",
        "wrong-magic",
        "garbage-data",
    ],
)
def test_lists_that_cannot_be_read_raise_status_list_error(encoded):
    with pytest.raises(StatusListError):
        status_list.decode(encoded)


@pytest.mark.parametrize("encoded", ["u!!!!", "u", "u****"], ids=["punctuation", "empty", "stars"])
def test_text_that_is_not_base64url_raises(encoded):
    with pytest.raises(StatusListError):
        status_list.decode(encoded)


@pytest.mark.parametrize("keep", [0.5, 0.99, 10], ids=["half", "nearly-all", "header"])
def test_a_truncated_gzip_stream_raises(keep):
    packed = gzip.compress(random.Random(19).randbytes(LIST_SIZE // 8))
    cut = keep if isinstance(keep, int) else int(len(packed) * keep)
    with pytest.raises(StatusListError):
        status_list.decode("u" + b64url(packed[:cut]))


def test_a_decompression_bomb_is_refused_without_unpacking_it():
    bomb = gzip.compress(bytes(status_list.MAX_DECODED_BYTES + 1))
    assert len(bomb) < 10_000  # small on the wire
    with pytest.raises(StatusListError, match="too large"):
        status_list.decode("u" + b64url(bomb))
    # Exactly the limit is still read.
    limit = status_list.decode("u" + b64url(gzip.compress(bytes(status_list.MAX_DECODED_BYTES))))
    assert len(limit) == status_list.MAX_DECODED_BYTES


def test_a_smaller_limit_can_be_asked_for():
    encoded = status_list.encode(bytes(LIST_SIZE // 8))
    with pytest.raises(StatusListError):
        status_list.decode(encoded, max_bytes=1024)


@pytest.mark.parametrize("position", [LIST_SIZE, LIST_SIZE + 7, 10**12, -1, "3", 2.0], ids=str)
def test_an_entry_outside_the_list_raises(position):
    with pytest.raises(StatusListError, match="131072 entries"):
        status_list.bit_is_set(bytes(LIST_SIZE // 8), position)


def test_the_last_entry_is_inside_the_list():
    assert status_list.bit_is_set(hand_built(), LIST_SIZE - 1)
    assert not status_list.bit_is_set(hand_built(), LIST_SIZE - 2)


def test_locate_counts_lists_from_one():
    assert status_list.locate(0) == (1, 0)
    assert status_list.locate(LIST_SIZE - 1) == (1, LIST_SIZE - 1)
    assert status_list.locate(LIST_SIZE) == (2, 0)
    assert status_list.locate(3 * LIST_SIZE + 5) == (4, 5)


# What sets the bits ----------------------------------------------------------------------------


def test_a_new_certificate_sets_neither_bit(client, certificate):
    assert certificate.status_list_index is not None
    assert status_flags(client, certificate) == NEITHER


def test_revoking_sets_the_revocation_bit(client, certificate, staff_user):
    issuing.revoke(certificate, staff_user, "Misconduct")
    assert status_flags(client, certificate) == REVOKED


def test_suspending_sets_the_suspension_bit_and_reinstating_clears_it(
    client, certificate, staff_user
):
    issuing.suspend(certificate, staff_user, "Complaint under review")
    assert status_flags(client, certificate) == SUSPENDED
    certificate.refresh_status()
    issuing.reinstate(certificate, staff_user)
    assert status_flags(client, certificate) == NEITHER


def test_relinquishing_sets_the_revocation_bit(client, certificate):
    issuing.relinquish(certificate)
    assert status_flags(client, certificate) == REVOKED


def test_a_certificate_replaced_by_a_renewal_sets_neither_bit(client, certificate, staff_user):
    renewed = issuing.renew(certificate, by=staff_user)
    certificate.refresh_from_db()
    assert certificate.superseded_at is not None
    assert renewed.status_list_index not in (None, certificate.status_list_index)
    assert status_flags(client, certificate) == NEITHER
    assert status_flags(client, renewed) == NEITHER


def test_a_reissued_certificate_sets_neither_bit(client, certificate, staff_user):
    issuing.reissue(certificate, by=staff_user)
    assert status_flags(client, certificate) == NEITHER


def test_revoking_a_replaced_certificate_revokes_its_replacement(client, certificate, staff_user):
    renewed = issuing.renew(certificate, by=staff_user)
    issuing.revoke(certificate, staff_user, "Misconduct")  # acts on the chain's current one
    assert status_flags(client, renewed) == REVOKED
    assert status_flags(client, certificate) == NEITHER


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("valid", NEITHER),
        ("provisional", NEITHER),
        ("lapsed", NEITHER),
        ("expired", NEITHER),  # its validUntil says so; status lists are for what dates cannot
        ("suspended", SUSPENDED),
        ("revoked", REVOKED),
        ("relinquished", REVOKED),
        ("superseded", NEITHER),
    ],
    ids=[
        "valid",
        "provisional",
        "lapsed",
        "expired",
        "suspended",
        "revoked",
        "relinquished",
        "superseded",
    ],
)
def test_each_status_sets_the_bits_the_rule_says(client, home_page, user, status, expected):
    certificate = certificate_in_status(user, None, status)
    Certificate.objects.filter(pk=certificate.pk).update(status_list_index=4242)
    certificate.refresh_from_db()
    assert status_flags(client, certificate) == expected


def test_only_the_certificates_own_bit_changes(client, home_page, user, staff_user):
    certificates = [CertificateFactory(holder=user, status_list_index=n) for n in (3, 4, 5)]
    issuing.revoke(certificates[1], staff_user, "Misconduct")
    bits = status_bits(client, "http://testserver" + list_url("revocation", 1))
    assert [n for n in range(16) if status_list.bit_is_set(bits, n)] == [4]


def test_a_second_list_holds_the_indexes_beyond_the_first(client, home_page, user, staff_user):
    far = CertificateFactory(holder=user, status_list_index=LIST_SIZE + 12)
    near = CertificateFactory(holder=user, status_list_index=12)
    issuing.revoke(far, staff_user, "Misconduct")
    _header, data = verify(
        client,
        client.get(
            reverse("certificates:credential_jwt", args=[far.display_code])
        ).content.decode(),
    )
    assert data["credentialStatus"][0]["statusListCredential"].endswith("/status/revocation/2")
    assert data["credentialStatus"][0]["statusListIndex"] == "12"
    assert status_flags(client, far) == REVOKED
    assert status_flags(client, near) == NEITHER


# The published lists -------------------------------------------------------------------------


def test_published_list_is_a_signed_bitstring_status_list_credential(client, certificate):
    response = client.get(list_url("suspension", 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=" in response["Cache-Control"]
    header, data = verify(client, response.content.decode())
    assert header["typ"] == "vc+jwt"
    assert data["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert data["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert data["id"] == "http://testserver" + list_url("suspension", 1)
    assert data["iss"] == data["issuer"] and data["jti"] == data["id"]
    subject = data["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "suspension"
    assert subject["id"] == f"{data['id']}#list"
    assert data["validFrom"] < data["validUntil"]


def test_readable_list_is_the_signed_ones_payload(client, certificate, staff_user):
    issuing.revoke(certificate, staff_user, "Misconduct")
    _header, signed = verify(client, client.get(list_url("revocation", 1)).content.decode())
    response = client.get(list_url("revocation", 1, "_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    for claim in REGISTERED_CLAIMS:
        signed.pop(claim, None)
    readable = json.loads(response.content)
    # Built a moment apart: the same list, perhaps a second later.
    for field in ("validFrom", "validUntil"):
        signed.pop(field), readable.pop(field)
    assert readable == signed


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/status/expired/1",
        "/certificates/status/Revocation/1",
        "/certificates/status/revocation/0",
        "/certificates/status/revocation/2",  # no index that far yet
        "/certificates/status/revocation/99999999999999999999999",
        "/certificates/status/suspension/2.json",
        "/certificates/status/other/1.json",
    ],
    ids=["purpose", "capitalised", "zero", "beyond", "huge", "beyond-json", "purpose-json"],
)
def test_unknown_purpose_or_list_is_a_json_404(client, certificate, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": "There is no such status list."}


# Drawing indexes -------------------------------------------------------------------------------


def test_list_count_keeps_lists_at_most_half_full():
    assert status_list.list_count(0) == 1
    assert status_list.list_count(LIST_SIZE // 2 - 1) == 1
    assert status_list.list_count(LIST_SIZE // 2) == 2
    assert status_list.list_count(LIST_SIZE) == 3


def test_draw_index_never_returns_a_taken_index(monkeypatch):
    draws = iter([7, 7, 9, 7, 9, 11])
    monkeypatch.setattr(status_list.secrets, "randbelow", lambda limit: next(draws))
    taken = set()
    for _ in range(3):
        index = status_list.draw_index(taken=taken.__contains__, issued=0)
        assert index not in taken
        taken.add(index)
    assert taken == {7, 9, 11}


def test_draw_index_draws_below_the_lists_it_needs(monkeypatch):
    limits = []

    def randbelow(limit):
        limits.append(limit)
        return limit - 1

    monkeypatch.setattr(status_list.secrets, "randbelow", randbelow)
    assert status_list.draw_index(taken=lambda index: False, issued=0) == LIST_SIZE - 1
    status_list.draw_index(taken=lambda index: False, issued=LIST_SIZE // 2)
    assert limits == [LIST_SIZE, 2 * LIST_SIZE]


def test_draw_index_gives_up_clearly_rather_than_looping():
    with pytest.raises(RuntimeError, match="No free status list index"):
        status_list.draw_index(taken=lambda index: True, issued=0, attempts=5)


def test_issued_certificates_get_distinct_indexes_in_the_first_list(home_page, programme, issue):
    certificates = [issue(UserFactory(), programme) for _ in range(12)]
    indexes = [c.status_list_index for c in certificates]
    assert None not in indexes and len(set(indexes)) == len(indexes)
    assert all(0 <= index < LIST_SIZE for index in indexes)


def test_draw_index_asks_the_database_by_default(home_page, user):
    CertificateFactory(holder=user, status_list_index=0)
    index = status_list.draw_index()
    assert 0 < index < LIST_SIZE


# The migration ---------------------------------------------------------------------------------


def test_migration_gives_older_certificates_distinct_random_indexes(home_page, user):
    older = [CertificateFactory(holder=user) for _ in range(25)]
    # Beyond the one list 25 certificates need, so no draw can collide with it.
    kept = CertificateFactory(holder=user, status_list_index=LIST_SIZE + 77)
    assert all(c.status_list_index is None for c in older)

    BACKFILL.draw_status_list_indexes(apps, schema_editor=None)

    indexes = list(
        Certificate.objects.filter(pk__in=[c.pk for c in older]).values_list(
            "status_list_index", flat=True
        )
    )
    assert None not in indexes and len(set(indexes)) == len(indexes)
    assert all(0 <= index < LIST_SIZE for index in indexes)
    kept.refresh_from_db()
    assert kept.status_list_index == LIST_SIZE + 77
    # Running it again changes nothing.
    BACKFILL.draw_status_list_indexes(apps, schema_editor=None)
    assert sorted(
        Certificate.objects.filter(pk__in=[c.pk for c in older]).values_list(
            "status_list_index", flat=True
        )
    ) == sorted(indexes)


def test_migration_copies_the_module_constants():
    assert BACKFILL.LIST_SIZE == status_list.LIST_SIZE and BACKFILL.FILL == status_list.FILL


def test_migration_with_nothing_to_do_does_nothing(home_page):
    BACKFILL.draw_status_list_indexes(apps, schema_editor=None)
    assert not Certificate.objects.exists()
