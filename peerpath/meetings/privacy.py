"""Sessions' part of data export, erasure and retention (being written)."""


def connect():
    """Register the export and erasure hooks."""
