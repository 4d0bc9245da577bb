"""Every message about a session: to the people who booked it, and to its organisation's staff.

A participant hears by e-mail at the booking's contact address, or by text message to its mobile
number when they gave no address (`peerpath.sms`). Each message is rendered from
`meetings/email/<kind>_subject.txt` and `<kind>.txt` (e-mail) or `<kind>_sms.txt` (a text
message: short, with the link to the booking). Confirmations carry the session's calendar file;
the joining link of an online session goes only to people with a confirmed place.

The functions below are called once the change has been committed (`booking.py`,
`scheduling.py`, `roster.py`). They hand the work to the tasks framework with ids only, so a queue
never holds an address, and the worker reads the booking as it is when the message goes out: a
booking erased in the meantime gets nothing. Sending can fail (a mail server down, a provider's
error): that is logged with ids only and never reaches the person who just booked, whose booking
is already safe.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Site

from peerpath import sms
from peerpath.certificates.links import absolute_url
from peerpath.models import CrisisSignposting
from peerpath.organisations.models import Organisation
from peerpath.workshops.choices import Confirmation

from .access import joining_link_for
from .calendar import session_ics
from .choices import BookingStatus
from .links import manage_url, session_url
from .models import Booking, SafeguardingConcern, Session, SessionRecord

logger = logging.getLogger(__name__)

TEMPLATES = "meetings/email/"

# Which bookings each message is for, checked again when it is sent: a booking cancelled before
# its confirmation went out gets no confirmation.
FOR_STATUS = {
    "booking_confirmed": {BookingStatus.CONFIRMED},
    "waiting_list": {BookingStatus.WAITING},
    "promoted": {BookingStatus.CONFIRMED},
    "booking_cancelled": {BookingStatus.CANCELLED},
    "reminder": {BookingStatus.CONFIRMED},
    "session_moved": {BookingStatus.CONFIRMED, BookingStatus.WAITING},
    "session_cancelled": {BookingStatus.CONFIRMED, BookingStatus.WAITING},
    # The anonymous feedback link, after the session (`feedback.request_feedback`).
    "feedback_request": {BookingStatus.CONFIRMED},
}

# Messages that carry the calendar file (to people with a confirmed place only).
WITH_CALENDAR = {"booking_confirmed", "promoted", "session_moved", "session_cancelled"}


# What the rest of the app calls, after its transaction has committed.


def booked(booking):
    """A place was booked, or a place on the waiting list taken."""
    kind = "waiting_list" if booking.is_waiting else "booking_confirmed"
    enqueue(send_booking_message, kind, booking.pk)


def cancelled(booking):
    """The participant cancelled their booking or left the waiting list."""
    enqueue(send_booking_message, "booking_cancelled", booking.pk)


def promoted(booking):
    """A place came free and went to this booking from the waiting list."""
    enqueue(send_booking_message, "promoted", booking.pk)


def session_moved(session, old_start):
    """The session moved from `old_start`: everyone booked or waiting hears the new time."""
    enqueue(send_session_message, "session_moved", session.pk, old_start.isoformat())


def session_cancelled(session):
    """The organisation cancelled the session: everyone booked or waiting hears why."""
    enqueue(send_session_message, "session_cancelled", session.pk)


def rosters_flagged(organisation, sessions):
    """Tell the organisation's staff, in one message each, which sessions' rosters went wrong."""
    enqueue(send_roster_alert, organisation.pk, [session.pk for session in sessions])


def send_reminder(booking):
    """Remind one confirmed participant of their session now; True if the message went out."""
    return deliver(booking, "reminder")


def enqueue(job, *args):
    try:
        job.enqueue(*args)
    # Whatever the queue's failure (Redis down, a refused job), the change is already committed
    # and the person who made it must not see an error: it is logged and the message not sent.
    except Exception as error:  # noqa: BLE001
        logger.error("Could not queue %s%r (%s)", job.name, args[:2], type(error).__name__)


# The work, done by the tasks framework's worker (or at once, with the immediate backend).


@task()
def send_booking_message(kind, booking_id):
    """Send message `kind` about one booking, if it still applies."""
    booking = bookings().filter(pk=booking_id).first()
    if booking is None:
        return False
    return deliver(booking, kind)


@task()
def send_session_message(kind, session_id, old_start=None):
    """Send message `kind` to everyone booked on, or waiting for, a session; returns the count."""
    extra = {"crisis": crisis_lines()}  # the same for everyone: read once
    if old_start:
        session = Session.objects.get(pk=session_id)
        extra["old_when"] = when(session, datetime.fromisoformat(old_start))
    sent = 0
    for booking in bookings().filter(session_id=session_id).active().order_by("created_at", "pk"):
        sent += deliver(booking, kind, extra)
    return sent


@task()
def send_roster_alert(organisation_id, session_ids):
    """E-mail each of the organisation's staff the sessions whose roster is still flagged."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or organisation.editors_group_id is None:
        return 0
    sessions = [
        {"session": session, "when": when(session), "roster_url": roster_url(session)}
        for session in Session.objects.filter(pk__in=session_ids)
        .exclude(roster_problem="")
        .select_related("workshop")
        .order_by("starts_at", "pk")
    ]
    if not sessions:
        return 0
    staff = organisation_staff(organisation)
    context = {"organisation": organisation, "sessions": sessions}
    subject = render_subject("rosters_flagged", context)
    body = render_to_string(f"{TEMPLATES}rosters_flagged.txt", context)
    sent = 0
    for person in staff.order_by("pk"):
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]).send()
        except Exception as error:  # noqa: BLE001 — one failed address must not stop the rest
            logger.error(
                "Could not send the roster alert of organisation %s to user %s (%s)",
                organisation_id,
                person.pk,
                type(error).__name__,
            )
            continue
        sent += 1
    return sent


# Composing and sending one participant's message.


def bookings():
    """Bookings that can still be reached, with what every message needs."""
    return Booking.objects.filter(anonymised_at__isnull=True).select_related(
        "user", "session", "session__workshop", "session__organisation"
    )


def deliver(booking, kind, extra=None):
    """Send message `kind` to the participant of `booking`, by e-mail or text; True if sent."""
    if booking.anonymised_at is not None or booking.status not in FOR_STATUS[kind]:
        return False
    email = booking.contact_email
    if not email and not booking.phone:
        return False
    context = booking_context(booking, kind, extra or {})
    try:
        if email:
            send_email(booking, kind, email, context)
        else:
            sms.send_sms(booking.phone, render_sms(kind, context))
    # Any backend's failure (SMTP, a socket timeout, a provider's client error) is logged by id;
    # its text may quote the address or number, so only the kind of failure is.
    except Exception as error:  # noqa: BLE001
        logger.error(
            "Could not send the %s message for booking %s (%s)",
            kind,
            booking.pk,
            type(error).__name__,
        )
        return False
    logger.info("Sent the %s message for booking %s", kind, booking.pk)
    return True


def send_email(booking, kind, address, context):
    session = booking.session
    message = EmailMessage(
        render_subject(kind, context),
        render_to_string(f"{TEMPLATES}{kind}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [address],
    )
    if kind in WITH_CALENDAR and booking.is_confirmed:
        message.attach(
            f"{slugify(session.workshop.title) or 'session'}.ics",
            session_ics(
                session, include_joining_link=bool(joining_link_for(session, booking=booking))
            ),
            "text/calendar",
        )
    message.send()


def render_subject(kind, context):
    return " ".join(render_to_string(f"{TEMPLATES}{kind}_subject.txt", context).split())


def render_sms(kind, context):
    return " ".join(render_to_string(f"{TEMPLATES}{kind}_sms.txt", context).split())


def booking_context(booking, kind, extra):
    session = booking.session
    return {
        "kind": kind,
        "booking": booking,
        "name": booking.first_name or (booking.user.first_name if booking.user_id else ""),
        "session": session,
        "workshop": session.workshop.title,
        "organisation": session.organisation.name,
        "when": when(session),
        "short_when": short_when(session),
        "joining_link": joining_link_for(session, booking=booking),
        "position": booking.waiting_position() if booking.is_waiting else None,
        "manage_url": manage_url(booking),
        "session_url": session_url(session),
        # Messages to many people pass the help lines in `extra`, read once.
        "crisis": extra["crisis"] if "crisis" in extra else crisis_lines(),
        **extra,
    }


def when(session, start=None):
    """The session's day and times in its own time zone, e.g. "Tuesday 2 April 2030, 19:00 to
    20:30 (BST)"; from `start` instead of its current start when given."""
    start = timezone.localtime(start or session.starts_at, session.zone)
    end = start + timedelta(minutes=session.duration_minutes)
    return _("%(day)s, %(start)s to %(end)s (%(zone)s)") % {
        "day": formats.date_format(start, "l j F Y"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i"),
        "zone": start.tzname(),
    }


def short_when(session):
    """The start in a few characters, for a text message: "Tue 2 Apr 19:00"."""
    return formats.date_format(session.local_start, "D j M H:i")


def crisis_lines():
    """The site's help lines, one line each, for the end of a participant's message."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    lines = []
    for block in CrisisSignposting.for_site(site).links:
        link = block.value
        reach = " ".join(part for part in (link["phone"], link["url"]) if part)
        lines.append(f"{link['label']}: {reach}" if reach else link["label"])
    return lines


def roster_url(session):
    return absolute_url(reverse("meetings:roster", args=[session.pk]))


def organisation_staff(organisation):
    """The active staff of `organisation` who have an e-mail address."""
    return (
        get_user_model()
        .objects.filter(groups=organisation.editors_group_id, is_active=True)
        .exclude(email="")
    )


# After a session: safeguarding concerns and debrief reminders (`debriefs.py`).


def concern_raised(concern):
    """A safeguarding concern was raised in a debrief: tell the organisation's safeguarding
    contact and leads now."""
    enqueue(send_concern_alert, concern.pk)


def addresses_of(group_id):
    """The e-mail addresses of the active members of a group (none for no group), by account."""
    if group_id is None:
        return []
    people = get_user_model().objects.filter(groups=group_id, is_active=True).exclude(email="")
    return list(dict.fromkeys(people.order_by("pk").values_list("email", flat=True)))


def concern_recipients(organisation):
    """Who hears of `organisation`'s safeguarding concerns: its safeguarding e-mail address and
    each of its active safeguarding leads; when it has neither, its coordinators; when it has
    none of those, its editors (who heard before roles existed).

    Returns the addresses (each once) and what to record as where the concern went: the
    organisation's own address, or a count of people, never their addresses.
    """
    names = {"organisation": organisation.name}
    shared = [organisation.safeguarding_email] if organisation.safeguarding_email else []
    # A lead whose own address is the shared one hears of it once, through that address.
    leads = [
        address
        for address in addresses_of(organisation.safeguarding_group_id)
        if address.lower() not in {a.lower() for a in shared}
    ]
    if shared or leads:
        addresses = [*shared, *leads]
        if not leads:
            return addresses, organisation.safeguarding_email
        names |= {"address": organisation.safeguarding_email, "count": len(leads)}
        if shared:
            return addresses, _(
                "%(address)s and the safeguarding leads of %(organisation)s (%(count)s)"
            ) % names
        return addresses, _("The safeguarding leads of %(organisation)s (%(count)s)") % names
    coordinators = addresses_of(organisation.coordinators_group_id)
    if coordinators:
        names["count"] = len(coordinators)
        return coordinators, _("The coordinators of %(organisation)s (%(count)s)") % names
    editors = addresses_of(organisation.editors_group_id)
    names["count"] = len(editors)
    return editors, _("The staff of %(organisation)s (%(count)s)") % names


@task()
def send_concern_alert(concern_id):
    """E-mail a safeguarding concern to whoever its organisation's concerns go to
    (`concern_recipients`), once: the concern is claimed by recording where it went before
    anything is sent, so a retried job sends nothing twice. Returns how many went out."""
    concern = (
        SafeguardingConcern.objects.filter(pk=concern_id, notified_at__isnull=True)
        .select_related("organisation", "session", "session__workshop", "raised_by")
        .first()
    )
    if concern is None:
        return 0
    organisation = concern.organisation
    addresses, sent_to = concern_recipients(organisation)
    if not addresses:
        logger.error(
            "Safeguarding concern %s: organisation %s has nobody to tell",
            concern_id,
            organisation.pk,
        )
        return 0
    now = timezone.now()
    claimed = SafeguardingConcern.objects.filter(pk=concern_id, notified_at__isnull=True).update(
        notified_at=now, notified_to=sent_to[:254]
    )
    if not claimed:
        return 0  # another run sent it
    session = concern.session
    raised_by = concern.raised_by
    context = {
        "organisation": organisation.name,
        "workshop": session.workshop.title,
        "when": when(session),
        "raised_by": (raised_by.get_full_name() or raised_by.get_username()) if raised_by else "",
        "raised_at": formats.date_format(
            timezone.localtime(concern.raised_at, session.zone), "l j F Y, H:i T"
        ),
        "summary": concern.summary,
        "concern_url": absolute_url(reverse("meetings_concerns:inspect", args=[concern.pk])),
    }
    subject = render_subject("concern_raised", context)
    body = render_to_string(f"{TEMPLATES}concern_raised.txt", context)
    sent = 0
    for address in addresses:
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send()
        except Exception as error:  # noqa: BLE001 — one failed address must not stop the rest
            logger.error(
                "Could not send safeguarding concern %s of organisation %s (%s)",
                concern_id,
                organisation.pk,
                type(error).__name__,
            )
            continue
        sent += 1
    if not sent:
        # Nobody heard: give the claim back so that the concern can be sent again.
        SafeguardingConcern.objects.filter(pk=concern_id, notified_at=now).update(
            notified_at=None, notified_to=""
        )
        return 0
    logger.info("Sent safeguarding concern %s to %s address(es)", concern_id, sent)
    return sent


def send_debrief_reminder(session, lead, due):
    """Remind `session`'s lead facilitator (`lead`) to file its debrief, due at `due`; True if the
    e-mail went out."""
    context = {
        "name": lead.first_name,
        "organisation": session.organisation.name,
        "workshop": session.workshop.title,
        "when": when(session),
        "due": formats.date_format(timezone.localtime(due, session.zone), "l j F Y"),
        "debrief_url": absolute_url(reverse("meetings:debrief", args=[session.pk])),
    }
    try:
        EmailMessage(
            render_subject("debrief_reminder", context),
            render_to_string(f"{TEMPLATES}debrief_reminder.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [lead.email],
        ).send()
    except Exception as error:  # noqa: BLE001 — logged by id; the next run tries again
        logger.error(
            "Could not send the debrief reminder of session %s (%s)",
            session.pk,
            type(error).__name__,
        )
        return False
    logger.info("Sent the debrief reminder of session %s to user %s", session.pk, lead.pk)
    return True


# The facilitation record: co-facilitators confirm their part (`record.entries_made`).


@task()
def send_confirmation_request(entry_id):
    """Ask a co-facilitator to confirm their part of a session, if their log entry still awaits
    it; True if the e-mail went out."""
    record = (
        SessionRecord.objects.filter(
            entry_id=entry_id,
            entry__confirmation=Confirmation.AWAITING,
            session__isnull=False,
            facilitator__is_active=True,
        )
        .exclude(facilitator__email="")
        .select_related("facilitator", "organisation", "session", "session__workshop")
        .first()
    )
    if record is None:
        return False
    session = record.session
    context = {
        "name": record.facilitator.first_name,
        "organisation": record.organisation.name,
        "workshop": session.workshop.title,
        "when": when(session),
        "record_url": absolute_url(reverse("meetings:record")),
    }
    try:
        EmailMessage(
            render_subject("confirm_part", context),
            render_to_string(f"{TEMPLATES}confirm_part.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [record.facilitator.email],
        ).send()
    except Exception as error:  # noqa: BLE001 — logged by id; the record page still asks
        logger.error(
            "Could not ask for confirmation of log entry %s (%s)", entry_id, type(error).__name__
        )
        return False
    logger.info("Asked user %s to confirm log entry %s", record.facilitator_id, entry_id)
    return True
