import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from peerpath.meetings.calendar import feed_ics, session_ics
from peerpath.meetings.choices import Mode
from peerpath.meetings.scheduling import cancel_session, move_session

from .factories import make_session

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def only_event(ics):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def london_session(workshop, year, month, day, **fields):
    starts_at = datetime.datetime(year, month, day, 19, 0, tzinfo=LONDON)
    return make_session(workshop, starts_at=starts_at, time_zone="Europe/London", **fields)


def test_calendar_is_a_published_icalendar_2_file(session):
    calendar, _ = only_event(session_ics(session))

    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"]


def test_uid_names_the_session_and_the_site_host(session):
    _, event = only_event(session_ics(session))

    assert str(event["UID"]) == f"session-{session.pk}@testserver"


def test_uid_is_the_same_in_every_file_for_a_session(session):
    _, first = only_event(session_ics(session))
    _, second = only_event(session_ics(session, include_joining_link=True))

    assert first["UID"] == second["UID"]


def test_start_is_seven_in_the_evening_local_time_in_winter(workshop):
    session = london_session(workshop, 2030, 1, 15)

    _, event = only_event(session_ics(session))

    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (19, 0)
    assert start.utcoffset() == datetime.timedelta(0)


def test_start_stays_seven_in_the_evening_local_time_after_the_clocks_go_forward(workshop):
    session = london_session(workshop, 2030, 4, 2)

    _, event = only_event(session_ics(session))

    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (19, 0)
    assert start.utcoffset() == datetime.timedelta(hours=1)
    assert start.astimezone(datetime.UTC).hour == 18


def test_times_carry_the_sessions_time_zone_with_its_definition(workshop):
    session = london_session(workshop, 2030, 4, 2)

    calendar, event = only_event(session_ics(session))

    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_end_follows_the_duration(workshop):
    session = london_session(workshop, 2030, 4, 2, duration_minutes=90)

    _, event = only_event(session_ics(session))

    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=90)


def test_summary_is_the_workshop_title(session):
    _, event = only_event(session_ics(session))

    assert str(event["SUMMARY"]) == "Weekly peer support group"


def test_location_of_an_in_person_session_is_its_venue_and_address(session):
    _, event = only_event(session_ics(session))

    assert str(event["LOCATION"]) == "Riverside Community Centre, 12 Mill Lane, Riverside"


def test_location_of_an_online_session_is_online(workshop):
    session = make_session(workshop, mode=Mode.ONLINE)

    _, event = only_event(session_ics(session))

    assert str(event["LOCATION"]) == "Online"


def test_description_names_the_organisation_and_the_session_page(session):
    _, event = only_event(session_ics(session))

    assert "Riverside Peer Support" in str(event["DESCRIPTION"])
    assert "http://testserver/groups/" in str(event["DESCRIPTION"])
    assert str(event["URL"]).startswith("http://testserver/groups/")


def test_joining_link_is_left_out_unless_asked_for(workshop):
    session = make_session(workshop, mode=Mode.ONLINE)

    assert b"meet.example" not in session_ics(session)


def test_joining_link_is_in_the_description_when_asked_for(workshop):
    session = make_session(workshop, mode=Mode.ONLINE)

    _, event = only_event(session_ics(session, include_joining_link=True))

    assert "https://meet.example/riverside-online" in str(event["DESCRIPTION"])


def test_scheduled_session_is_confirmed_at_sequence_zero(session):
    _, event = only_event(session_ics(session))

    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("SEQUENCE") == 0


def test_each_move_raises_the_sequence_even_one_made_through_the_series(session):
    moved = move_session(session, session.starts_at + datetime.timedelta(days=1))
    moved = move_session(moved, moved.starts_at + datetime.timedelta(hours=1), by_series=True)

    _, event = only_event(session_ics(moved))

    assert event.decoded("SEQUENCE") == 2


def test_cancelled_session_is_marked_cancelled(session):
    cancelled = cancel_session(session, "The venue flooded.")

    _, event = only_event(session_ics(cancelled))

    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("SEQUENCE") == 1


def test_no_organizer_or_personal_address_is_written(session):
    _, event = only_event(session_ics(session))

    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event


def test_feed_is_named_and_holds_every_session(workshop):
    sessions = [london_session(workshop, 2030, month, day) for month, day in ((3, 19), (4, 2))]

    calendar = Calendar.from_ical(feed_ics(sessions, "Riverside groups"))

    assert str(calendar["X-WR-CALNAME"]) == "Riverside groups"
    assert sorted(str(event["UID"]) for event in calendar.walk("VEVENT")) == sorted(
        f"session-{session.pk}@testserver" for session in sessions
    )


def test_feed_never_carries_joining_links(workshop):
    online = make_session(workshop, mode=Mode.ONLINE)

    assert b"meet.example" not in feed_ics([online], "Riverside groups")


def test_feed_keeps_local_times_across_the_clock_change(workshop):
    before = london_session(workshop, 2030, 3, 26)
    after = london_session(workshop, 2030, 4, 2)

    calendar = Calendar.from_ical(feed_ics([before, after], "Riverside groups"))

    starts = [event.decoded("DTSTART") for event in calendar.walk("VEVENT")]
    assert sorted((start.hour, start.utcoffset()) for start in starts) == [
        (19, datetime.timedelta(0)),
        (19, datetime.timedelta(hours=1)),
    ]
