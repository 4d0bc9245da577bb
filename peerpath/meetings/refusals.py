"""What a sessions service raises when it refuses a change: one kind of error, so every view
answers refusals the same way.

The message is written for the person asking (shown as it is); the code names the kind of
refusal where a view answers differently (booking.py: a duplicate is 409, missing contact 400).
"""


class Refused(Exception):
    """A change that cannot be made. Nothing was changed."""

    def __init__(self, message, code="refused"):
        super().__init__(message)
        self.message = message
        self.code = code
