"""Verification codes: unguessable, easy to read aloud, forgiving to type.

A code is 16 characters from a 32-character alphabet with no look-alikes (no 0/O, 1/I), i.e. 80 bits
from `secrets`. It is stored upper-case without dashes and shown in groups of four:
7KQ2-M9XD-4TRA-VB3H. People may type it in any case, with or without dashes or spaces.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16
GROUP = 4

_VALID = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")
#: Longer input is rejected before any work is done on it.
MAX_INPUT_LENGTH = 64


def generate_code():
    """A new random verification code in its stored form (no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value):
    """The stored form of a code someone typed, or None if it cannot be a code."""
    if not isinstance(value, str) or len(value) > MAX_INPUT_LENGTH:
        return None
    cleaned = re.sub(r"[\s\-]", "", value).upper()
    return cleaned if _VALID.match(cleaned) else None


def format_code(code):
    """A stored code grouped for people: 7KQ2M9XD4TRAVB3H → 7KQ2-M9XD-4TRA-VB3H."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
