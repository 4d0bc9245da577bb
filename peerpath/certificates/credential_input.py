"""What a person gives the credential checker, read into the signed token it carries.

Accepted: the compact VC-JWT (pasted, or a `.jwt` file; line breaks from pasting are ignored), a
JSON document (a VC 2.0 enveloped credential, or a JSON string holding the token), or a baked
badge PNG (its `openbadgecredential` chunk, `baking.py`). This site's readable `credential.json`
has no signature, and the answer says so plainly. Nothing is trusted yet: the token's header and
body are only read here, and `credential_check.py` checks them.
"""

import json
import re
import struct
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .baking import OB2_KEYWORD, OB3_KEYWORD, read_baked
from .credential_jose import split_compact
from .credential_result import Check, CheckFailed, Reason
from .ob3 import OB_TYPES

#: Pasted or uploaded text larger than this is refused unread (credentials are a few KB).
MAX_TEXT_BYTES = 64 * 1024
#: A badge image larger than this is refused unread.
MAX_IMAGE_BYTES = 1024 * 1024
#: A badge image with more pixels on a side than this is refused before it is decoded.
MAX_IMAGE_SIDE = 4096
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JWT_DATA_URL = "data:application/vc+jwt,"
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Token:
    """A compact JWS as given, with its header and body read (not verified)."""

    text: str
    header: dict
    payload: dict
    from_image: bool = False


def _fail(reason, message):
    raise CheckFailed(reason, Check.FORMAT, message)


def png_side(data):
    """The larger of a PNG's width and height, read from its header (0 if it has none)."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        return 0
    return max(struct.unpack(">II", data[16:24]))


def read_input(data):
    """The `Token` in `data` (text, or the bytes of an uploaded file); CheckFailed when there is
    none."""
    if isinstance(data, bytes | bytearray):
        data = bytes(data)
        if data.startswith(PNG_SIGNATURE):
            return _read_png(data)
        if len(data) > MAX_TEXT_BYTES:
            _too_large()
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            _fail(
                Reason.MALFORMED,
                _(
                    "This file is neither text nor a PNG image. Upload the credential's .jwt or "
                    ".json file, or its badge image (.png)."
                ),
            )
    text = data if isinstance(data, str) else ""
    if len(text) > MAX_TEXT_BYTES or len(text.encode("utf-8", "replace")) > MAX_TEXT_BYTES:
        _too_large()
    text = text.strip()
    if not text:
        _fail(Reason.MALFORMED, _("There was nothing to check."))
    if text.startswith(("{", "[", '"')):
        return _read_json(text)
    return _read_token(text)


def _too_large():
    _fail(
        Reason.TOO_LARGE,
        _("This is larger than %(size)s KB, and a credential is a few KB, so it was not read.")
        % {"size": MAX_TEXT_BYTES // 1024},
    )


def _read_png(data):
    if len(data) > MAX_IMAGE_BYTES or png_side(data) > MAX_IMAGE_SIDE:
        _fail(
            Reason.TOO_LARGE,
            _("This image is larger than a badge image should be, so it was not read."),
        )
    try:
        chunks = read_baked(data)
    except ValueError:
        _fail(Reason.MALFORMED, _("This file is not a readable PNG image."))
    baked = chunks.get(OB3_KEYWORD)
    if not baked:
        if chunks.get(OB2_KEYWORD):
            _fail(
                Reason.NOT_A_CREDENTIAL,
                _(
                    "This badge image carries only an Open Badges 2.0 link, not a signed Open "
                    "Badges 3.0 credential."
                ),
            )
        _fail(Reason.NOT_A_CREDENTIAL, _("This image carries no Open Badges credential."))
    if len(baked) > MAX_TEXT_BYTES:
        _too_large()
    token = read_input(baked.strip())
    return Token(token.text, token.header, token.payload, from_image=True)


def _read_json(text):
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        _fail(Reason.MALFORMED, _("This is neither a signed credential nor valid JSON."))
    if isinstance(document, str):
        return _read_token(document)
    if not isinstance(document, dict):
        _fail(Reason.NOT_A_CREDENTIAL, _("This JSON document is not an Open Badges credential."))
    enveloped = document.get("id")
    if isinstance(enveloped, str) and enveloped.startswith(JWT_DATA_URL):
        # A VC 2.0 enveloped credential: the signed JWT inside a data: URL.
        return _read_token(enveloped[len(JWT_DATA_URL) :])
    types = document.get("type") if isinstance(document.get("type"), list) else []
    types = types or [document.get("type")]
    proof = document.get("proof")
    if proof:
        kind = proof.get("type") if isinstance(proof, dict) else None
        _fail(
            Reason.UNSUPPORTED_ALG,
            _(
                "This credential carries an embedded proof (%(kind)s). Only credentials signed "
                "as a JWT (VC-JWT) can be checked here: ask for the .jwt file."
            )
            % {"kind": kind[:60] if isinstance(kind, str) else _("of an unknown kind")},
        )
    if any(kind in OB_TYPES for kind in types if isinstance(kind, str)):
        _fail(
            Reason.UNSIGNED,
            _(
                "This is the readable copy of a credential (credential.json). It carries no "
                "signature, so it proves nothing on its own: check the signed credential, the "
                ".jwt file from the same place, instead."
            ),
        )
    _fail(Reason.NOT_A_CREDENTIAL, _("This JSON document is not an Open Badges credential."))


def _read_token(text):
    token = _WHITESPACE.sub("", text)  # a pasted token may be wrapped over several lines
    try:
        header, payload = split_compact(token)
    except ValueError as error:
        _fail(
            Reason.MALFORMED,
            _("This is not a signed credential (a VC-JWT): %(detail)s.") % {"detail": error},
        )
    return Token(token, header, payload)
