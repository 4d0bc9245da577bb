"""The short codes a facilitator shows in the room: a session's check-in code (`attendance.py`)
and its walk-in feedback code (`feedback.py`). People type them in any case, with or without
spaces or dashes; they are compared in constant time.
"""

import re

from django.utils.crypto import constant_time_compare


def normalise_code(code):
    """The code as shown in the room: capitals, without spaces or dashes."""
    return re.sub(r"[\s-]", "", code or "").upper()


def code_is(code, expected):
    """True if `code`, as someone typed it, is the stored code `expected`."""
    return bool(expected) and constant_time_compare(normalise_code(code), expected)
