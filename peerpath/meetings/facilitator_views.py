"""Facilitators' session pages (being written)."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


check_in = my_sessions = roster = complete = check_in_qr = _not_yet
