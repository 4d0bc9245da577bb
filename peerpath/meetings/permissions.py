"""Organisation staff's permissions on sessions (being written)."""


def connect():
    """Give each organisation's staff group its session permissions when it is set up."""
