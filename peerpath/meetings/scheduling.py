"""Turning a series into dated sessions, and moving or cancelling one date.

The recurrence rule is dateutil's `rrule` (RFC 5545), on local calendar dates; each date is then
combined with the series' local start time in its time zone, so a weekly 19:00 group stays at 19:00
on both sides of a daylight-saving change (its UTC time moves instead). Sessions are rows, made up to
`PEERPATH_SESSION_HORIZON_DAYS` ahead and extended by the daily job; a date that was cancelled or
moved keeps its `occurrence_date`, so extending a series never brings it back.
"""

import datetime
import zoneinfo

from dateutil import rrule
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath import caching
from peerpath.conf import setting

from . import finder, notifications, roster
from .choices import Frequency, SessionStatus
from .models import Booking, Session, SessionSeries
from .refusals import Refused


class ScheduleError(Refused):
    """A change to a session that cannot be made; the message says why, for the person asking."""


def local_datetime(date, time, time_zone):
    """The aware datetime of local `time` on `date` in `time_zone`.

    A wall-clock time skipped by a spring-forward change resolves to the later offset (as
    zoneinfo's fold=0 does); normalising through UTC gives the instant people will actually meet.
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    aware = datetime.datetime.combine(date, time, tzinfo=zone)
    return aware.astimezone(datetime.UTC).astimezone(zone)


def recurrence(series, until):
    """The rrule for `series`, from its first date to `until` (a date), inclusive."""
    start = datetime.datetime.combine(series.starts_on, datetime.time())
    end = datetime.datetime.combine(until, datetime.time())
    if series.frequency == Frequency.MONTHLY:
        nth = (series.starts_on.day - 1) // 7 + 1
        # A series starting on a fifth weekday meets on the last one each month.
        weekday = rrule.weekday(series.starts_on.weekday())(-1 if nth == 5 else nth)
        return rrule.rrule(rrule.MONTHLY, dtstart=start, until=end, byweekday=weekday)
    interval = 2 if series.frequency == Frequency.FORTNIGHTLY else 1
    return rrule.rrule(rrule.WEEKLY, dtstart=start, until=end, interval=interval)


def occurrence_dates(series, start, until):
    """The series' dates from `start` to `until` inclusive (dates, in the series' own calendar)."""
    if series.ends_on:
        until = min(until, series.ends_on)
    if until < max(start, series.starts_on):
        return []
    rule = recurrence(series, until)
    after = datetime.datetime.combine(start, datetime.time())
    return [moment.date() for moment in rule.xafter(after, inc=True)]


def session_from_series(series, date):
    """An unsaved session of `series` on `date`, with the series' details."""
    starts_at = local_datetime(date, series.start_time, series.time_zone)
    session = Session(
        workshop_id=series.workshop_id,
        organisation_id=series.organisation_id,
        series=series,
        occurrence_date=date,
        starts_at=starts_at,
        **series.details(),
        booking_opens_at=(
            starts_at - datetime.timedelta(days=series.booking_opens_days_before)
            if series.booking_opens_days_before is not None
            else None
        ),
        booking_closes_at=(
            starts_at - datetime.timedelta(hours=series.booking_closes_hours_before)
            if series.booking_closes_hours_before
            else None
        ),
    )
    session.derive_columns()
    return session


def extend_series(series, today=None, horizon_days=None):
    """Create the series' missing sessions from today to the horizon; returns how many were made.

    Idempotent and safe to run concurrently: a date that exists (even cancelled or moved) is
    skipped, and the unique (series, date) constraint settles a race.
    """
    today = today or timezone.localdate(timezone=zoneinfo.ZoneInfo(series.time_zone))
    horizon = today + datetime.timedelta(days=horizon_days or setting("SESSION_HORIZON_DAYS"))
    dates = occurrence_dates(series, today, horizon)
    existing = set(
        Session.objects.filter(series=series, occurrence_date__in=dates).values_list(
            "occurrence_date", flat=True
        )
    )
    new = [session_from_series(series, date) for date in dates if date not in existing]
    if not new:
        return 0
    Session.objects.bulk_create(new, ignore_conflicts=True)
    made = Session.objects.filter(
        series=series, occurrence_date__in=[session.occurrence_date for session in new]
    )
    roster.copy_series_roster(series, made)
    # bulk_create sends no signals: the finder's shared list is told here.
    caching.bump_now_and_on_commit(finder.SESSIONS)
    return len(new)


def extend_all_series(today=None):
    """The daily job: every ongoing series lists its dates up to the horizon."""
    made = 0
    ongoing = SessionSeries.objects.exclude(ends_on__lt=today or timezone.localdate())
    for series in ongoing.iterator():
        made += extend_series(series, today=today)
    return made


def update_future_sessions(series, now=None):
    """After a series is edited: its future scheduled sessions take the new details.

    Sessions moved by hand keep their own time; those whose start changes are moved, and whoever
    booked is told (`move_session`). Dates the new rule no longer gives are left for staff to
    cancel with a reason, since people may have booked them.
    """
    now = now or timezone.now()
    future = Session.objects.filter(
        series=series, status=SessionStatus.SCHEDULED, starts_at__gt=now
    )
    for session in future:
        details = series.details()
        if series.capacity is None or series.capacity < session.places_taken:
            # Fewer places than people already booked (or none): this date keeps its own.
            del details["capacity"]
        for field, value in details.items():
            setattr(session, field, value)
        session.save()
        if session.moved_from is None and session.occurrence_date:
            new_start = local_datetime(session.occurrence_date, series.start_time, series.time_zone)
            if new_start != session.starts_at:
                move_session(session, new_start, now=now, by_series=True)
    extend_series(series)


def move_session(session, new_start, now=None, by_series=False):
    """Move one session to `new_start`; everyone booked or waiting is told."""
    now = now or timezone.now()
    if session.status != SessionStatus.SCHEDULED:
        raise ScheduleError(_("Only a scheduled session can be moved."))
    if new_start <= now:
        raise ScheduleError(_("A session can only be moved to a time in the future."))
    if new_start == session.starts_at:
        return session
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        old_start = session.starts_at
        if not by_series and session.moved_from is None:
            session.moved_from = old_start
        session.starts_at = new_start
        session.sequence += 1
        if session.booking_closes_at and session.booking_closes_at > new_start:
            session.booking_closes_at = new_start
        session.save()
        # Reminders are due again for the new time.
        Booking.objects.filter(session=session).active().update(reminded_at=None)
        transaction.on_commit(lambda: notifications.session_moved(session, old_start))
    return session


def cancel_session(session, reason, now=None):
    """Cancel one session with a reason shown to participants; everyone booked or waiting is told.

    Bookings keep their status (they were places on a session that did not happen), so the
    message goes to the right people and counts stay honest.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ScheduleError(_("Give a reason: it is shown to everyone who booked."))
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.SCHEDULED:
            raise ScheduleError(_("Only a scheduled session can be cancelled."))
        session.status = SessionStatus.CANCELLED
        session.cancellation_reason = reason[:300]
        session.cancelled_at = now or timezone.now()
        session.sequence += 1
        session.save(update_fields=["status", "cancellation_reason", "cancelled_at", "sequence"])
        transaction.on_commit(lambda: notifications.session_cancelled(session))
    return session
