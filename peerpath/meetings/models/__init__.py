"""The sessions app's models, importable from here (`from peerpath.meetings.models import Session`).

- `sessions`: series, sessions, rosters and bookings;
- `after`: what follows a session — debriefs, safeguarding concerns, the session record behind
  facilitators' log entries, anonymous feedback, and each organisation's signposting lists.
"""

from .after import (
    DEFAULT_SIGNPOSTING_CATEGORIES,
    Debrief,
    FeedbackInvitation,
    FeedbackResponse,
    LocalService,
    SafeguardingConcern,
    SessionRecord,
    SignpostingCategory,
)
from .sessions import (
    ACTIVE,
    CHECK_IN_ALPHABET,
    CHECK_IN_LENGTH,
    Booking,
    BookingQuerySet,
    MeetingDetails,
    RosterAssignment,
    SeriesFacilitator,
    Session,
    SessionQuerySet,
    SessionSeries,
    new_check_in_code,
)

__all__ = [
    "ACTIVE",
    "CHECK_IN_ALPHABET",
    "CHECK_IN_LENGTH",
    "DEFAULT_SIGNPOSTING_CATEGORIES",
    "Booking",
    "BookingQuerySet",
    "Debrief",
    "FeedbackInvitation",
    "FeedbackResponse",
    "LocalService",
    "MeetingDetails",
    "RosterAssignment",
    "SafeguardingConcern",
    "SeriesFacilitator",
    "Session",
    "SessionQuerySet",
    "SessionRecord",
    "SessionSeries",
    "SignpostingCategory",
    "new_check_in_code",
]
