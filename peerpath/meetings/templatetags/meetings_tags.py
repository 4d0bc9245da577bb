"""How sessions read on public pages: the date and time in the session's own time zone, and where.

A session is shown at its local time, with the zone's abbreviation (GMT, BST, CET…), whatever
the visitor's or the server's time zone: the group meets at 19:00 in Riverside. Django's `date`
filter would first convert to the current time zone, so these tags format the local time directly.
"""

from django import template
from django.utils import dateformat
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def session_date(session):
    """ "Tuesday 8 December 2026"."""
    return dateformat.format(session.local_start, "l j F Y")


@register.simple_tag
def session_time(session):
    """ "19:00–20:30 GMT": start and end, local to the session, with the zone's abbreviation."""
    start, end = session.local_start, session.local_end
    if start.date() != end.date():
        return _("%(start)s to %(end)s") % {
            "start": dateformat.format(start, "H:i T"),
            "end": dateformat.format(end, "l j F, H:i T"),
        }
    return f"{dateformat.format(start, 'H:i')}–{dateformat.format(end, 'H:i T')}"


@register.simple_tag
def session_when(session):
    """ "Tuesday 8 December 2026, 19:00–20:30 GMT"."""
    return _("%(date)s, %(time)s") % {
        "date": session_date(session),
        "time": session_time(session),
    }


@register.filter
def one_line(text):
    """An address written over several lines, on one line with commas."""
    return ", ".join(line.strip() for line in (text or "").splitlines() if line.strip())
