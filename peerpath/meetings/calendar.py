"""Calendar files (.ics, RFC 5545) for sessions: one session to add, or a feed of many.

Times are written in the session's own time zone with its VTIMEZONE definition, so a calendar
program shows the meeting at the right local time on either side of a daylight-saving change. The
UID stays the same for the life of a session and SEQUENCE goes up when it is moved or cancelled, so
a calendar that already holds the event updates it instead of adding a second one.

The joining link of an online session is written only into the file a confirmed participant is
sent (`include_joining_link=True`); the public feed and the public "Add to calendar" file never
carry it, because the link is what lets someone into the room.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .links import session_url

PRODID = "-//PeerPath//Sessions//EN"


def session_uid(session):
    """The event's UID: the same in every file ever made for this session."""
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "peerpath"
    return f"session-{session.pk}@{host}"


def session_ics(session, *, include_joining_link=False):
    """The .ics file for one session, with its joining link only when asked for."""
    calendar = new_calendar()
    calendar.add_component(session_event(session, include_joining_link=include_joining_link))
    return finish(calendar, [session])


def feed_ics(sessions, name):
    """A calendar named `name` holding every one of `sessions`, never with joining links."""
    sessions = list(sessions)
    calendar = new_calendar()
    calendar.add("x-wr-calname", name)
    for session in sessions:
        calendar.add_component(session_event(session, include_joining_link=False))
    return finish(calendar, sessions)


def new_calendar():
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    return calendar


def finish(calendar, sessions):
    """Add the VTIMEZONE of every zone used, covering only the years the sessions span."""
    if sessions:
        # A zone's rules from 1970 onwards make a long file; the sessions' own span is enough.
        first = min(session.local_start for session in sessions).date() - timedelta(days=366)
        last = max(session.local_end for session in sessions).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def session_event(session, *, include_joining_link):
    """The VEVENT of one session."""
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.local_start)
    event.add("dtend", session.local_end)
    event.add("summary", session.workshop.title)
    event.add("location", location(session))
    event.add("description", description(session, include_joining_link=include_joining_link))
    event.add("url", session_url(session))
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("sequence", sequence(session))
    return event


def sequence(session):
    """Higher each time the session changes in a way a calendar must pick up (a move, including
    one made by editing its series, or a cancellation: `Session.sequence`)."""
    return session.sequence


def location(session):
    if session.is_online:
        return _("Online")
    return ", ".join(part for part in (session.venue_name, one_line(session.address)) if part)


def one_line(text):
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def description(session, *, include_joining_link):
    lines = []
    if session.is_cancelled:
        lines += [_("This session has been cancelled."), ""]
    lines.append(
        _("%(workshop)s, run by %(organisation)s.")
        % {"workshop": session.workshop.title, "organisation": session.organisation.name}
    )
    if session.is_online and include_joining_link and session.joining_link:
        lines.append(_("Join online: %(link)s") % {"link": session.joining_link})
    elif session.is_online:
        lines.append(_("The joining link is in the e-mail confirming your place."))
    if not session.is_online and session.accessibility_notes:
        lines.append(_("Access: %(notes)s") % {"notes": one_line(session.accessibility_notes)})
    lines.append(_("Details: %(url)s") % {"url": session_url(session)})
    return "\n".join(lines)
