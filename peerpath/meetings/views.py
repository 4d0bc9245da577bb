"""Public session pages (being written)."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


finder = session_detail = book = session_calendar = workshop_feed = organisation_feed = _not_yet
manage_booking = cancel_booking = booking_calendar = _not_yet
