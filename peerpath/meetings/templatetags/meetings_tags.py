"""How sessions read on public pages: the date and time in the session's own time zone, and where.

A session is shown at its local time, with the zone's abbreviation (GMT, BST, CET…), whatever
the visitor's or the server's time zone: the group meets at 19:00 in Riverside. Django's `date`
filter would first convert to the current time zone, so these tags format the local time directly.
"""

from django import template
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


@register.simple_tag
def session_where(session):
    """ "Online", or the venue and its address on one line."""
    if session.is_online:
        return _("Online")
    return ", ".join(part for part in (session.venue_name, one_line(session.address)) if part)


@register.simple_tag
def session_places(session):
    """Places left, "Full — waiting list open", or "Drop-in, no booking needed", marked up."""
    if session.is_drop_in:
        modifier, text = " places--drop-in", _("Drop-in, no booking needed")
    elif session.is_full:
        modifier, text = " places--full", _("Full — waiting list open")
    else:
        places = session.places_left
        modifier = ""
        text = ngettext("%(places)d place left", "%(places)d places left", places) % {
            "places": places
        }
    return format_html('<span class="places{}">{}</span>', modifier, text)
