"""Bitstring Status Lists (W3C): where a verifier learns, without asking about one certificate,
whether it was revoked or is suspended.

https://www.w3.org/TR/vc-bitstring-status-list/

Every certificate has a `status_list_index`, drawn at random when it is issued. The index names a
list (`index // LIST_SIZE`, counted from 1) and a bit in it; each list is published twice, once
per purpose: *revocation* (revoked, or no longer held) and *suspension* (suspended while it lasts).
The bits are not stored: each list is built from the certificates' own columns by the one status
rule (`status.py`), so revoking, suspending and reinstating change the published lists at once. A
certificate replaced by a renewal is neither: it keeps verifying as what it was, and its dates say
when it ended.

A list is at least 16 KB (131,072 entries), as the specification asks, so that one fetch says
nothing about which certificate a verifier was checking.
"""

import base64
import gzip
import re
import secrets
import zlib

from django.db.models import Q

from .models import Certificate
from .status import CertificateStatus, status_conditions

#: Entries per list: the specification's minimum, 16 KB of bits.
LIST_SIZE = 131_072
REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)
#: The statuses whose bit is set in each purpose's list.
PURPOSE_STATUSES = {
    REVOCATION: (CertificateStatus.REVOKED, CertificateStatus.RELINQUISHED),
    SUSPENSION: (CertificateStatus.SUSPENDED,),
}
#: Lists are kept at most half full, so a random draw finds a free index in a try or two.
FILL = 2
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
#: A decoded list larger than this (16 million entries) is refused rather than unpacked.
MAX_DECODED_BYTES = 2 * 1024 * 1024


class StatusListError(ValueError):
    """An encoded list that cannot be read (not base64url, not GZIP, too large)."""


def locate(index):
    """(list number counted from 1, position in that list) of a global index."""
    return index // LIST_SIZE + 1, index % LIST_SIZE


def list_count(issued):
    """How many lists `issued` certificates need, each at most 1/FILL full."""
    return issued * FILL // LIST_SIZE + 1


def draw_index(taken=None, issued=None, attempts=32):
    """A random free index for a new certificate. `taken(index)` says whether an index is in use
    (default: asks the database); `issued` is how many certificates exist (default: the highest
    id, an upper bound read from the primary key's index, where a count would scan the table).
    The unique constraint on the column settles the rare race between two draws."""
    if issued is None:
        issued = Certificate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if taken is None:

        def taken(index):
            return Certificate.objects.filter(status_list_index=index).exists()

    limit = list_count(issued) * LIST_SIZE
    for _attempt in range(attempts):
        index = secrets.randbelow(limit)
        if not taken(index):
            return index
    raise RuntimeError("No free status list index after many tries.")  # lists are half empty


def _set_bits(indexes):
    """The bitstring of one list with these positions set (bit 0 is the first byte's leftmost)."""
    bits = bytearray(LIST_SIZE // 8)
    for position in indexes:
        bits[position // 8] |= 0x80 >> (position % 8)
    return bytes(bits)


def encode(bits):
    """Multibase base64url (no padding, prefix "u") of the GZIP-compressed bitstring."""
    # Level 6: on a sparse 16 KB list, level 9 takes ten times as long for 10% fewer bytes.
    packed = gzip.compress(bits, compresslevel=6, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(encoded, max_bytes=MAX_DECODED_BYTES):
    """The bitstring of an `encodedList`; StatusListError when it cannot be read."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("The list is not multibase base64url (it must start with “u”).")
    body = encoded[1:]
    if not _BASE64URL.fullmatch(body):
        raise StatusListError("The list is not valid base64url.")
    try:
        packed = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
    except (ValueError, TypeError) as error:
        raise StatusListError("The list is not valid base64url.") from error
    # wbits 16+: GZIP framing; max_length guards against a decompression bomb.
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        bits = inflater.decompress(packed, max_bytes + 1)
    except zlib.error as error:
        raise StatusListError("The list is not GZIP-compressed.") from error
    if len(bits) > max_bytes:
        raise StatusListError("The list is too large to read.")
    if not inflater.eof:
        raise StatusListError("The list is incomplete (its compressed data is cut short).")
    return bits


def bit_is_set(bits, position):
    """Whether `position` is set; StatusListError when the list is too short to hold it."""
    if not isinstance(position, int) or position < 0 or position // 8 >= len(bits):
        raise StatusListError(
            f"The status list has {len(bits) * 8} entries; this credential points at entry "
            f"{position}."
        )
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def positions(purpose, number, today=None):
    """The positions set in list `number` for `purpose`: one indexed query on the certificates
    whose status (by the one status rule) puts them in that purpose's list."""
    conditions = status_conditions(today)
    condition = Q()
    for status in PURPOSE_STATUSES[purpose]:
        condition |= conditions[status]
    first = (number - 1) * LIST_SIZE
    indexes = (
        Certificate.objects.filter(
            condition,
            status_list_index__gte=first,
            status_list_index__lt=first + LIST_SIZE,
        )
        .order_by()
        .values_list("status_list_index", flat=True)
    )
    return [index - first for index in indexes]


def bits(purpose, number, today=None):
    """The bitstring of list `number` for `purpose`, as of today (what checking one of this
    site's own credentials reads, without encoding it first)."""
    return _set_bits(positions(purpose, number, today))


def encoded_list(purpose, number, today=None):
    """The `encodedList` of list `number` for `purpose`, as of today."""
    return encode(bits(purpose, number, today))


def exists(number):
    """Whether list `number` may hold certificates (lists are numbered from 1, without gaps up to
    the highest index drawn)."""
    if number < 1:
        return False
    if number == 1:
        return True
    return Certificate.objects.filter(status_list_index__gte=(number - 1) * LIST_SIZE).exists()
