"""Messages to participants and staff about sessions (being written: see the helper's brief)."""


def booked(booking):
    pass


def cancelled(booking):
    pass


def promoted(booking):
    pass


def session_moved(session, old_start):
    pass


def session_cancelled(session):
    pass


def rosters_flagged(organisation, sessions):
    pass
