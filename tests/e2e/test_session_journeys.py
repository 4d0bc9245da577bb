"""Sessions in a real browser: finding the Tuesday group, booking it without an account, the
confirmation e-mail's calendar file, the facilitator's register; and a place passed on from a
cancellation to the first person on the waiting list.

Everything is clicked by role and accessible name, with the labels DESIGN.md fixes (**Book a
place**, **Join the waiting list**, **Add to calendar**, **Cancel my booking**). The e-mails are the
files the live site wrote (config/settings/e2e.py); the calendar file is parsed with icalendar.
"""

import datetime
import re
import zoneinfo

import icalendar
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, _new_page, assert_accessible, screenshot
from tests.e2e.journeys import (
    book_session,
    calendar_attachment,
    log_in,
    main,
    message,
    shell_json,
    wait_for_mail,
)

FACILITATOR = "facilitator@peerpath.example"
TUESDAY_GROUP = "Tuesday evening peer support group"
MENTORING = "One-to-one peer mentoring: session guide"
LONDON = zoneinfo.ZoneInfo("Europe/London")
SESSION_URL = re.compile(r"/groups/(\d+)/$")


def find_tuesday_group(page):
    """From the finder, Tuesdays only, to the first date of the Tuesday group; returns its id."""
    page.goto("/groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a group")
    search = page.get_by_role("search", name="Find a group")
    search.get_by_label("Day", exact=True).select_option(label="Tuesday")
    search.get_by_role("button", name="Show sessions").click()
    results = main(page).locator(".session-cards")
    expect(results.get_by_role("link", name=TUESDAY_GROUP).first).to_be_visible()
    dates = results.locator(".session-card__when").all_inner_texts()
    assert dates and all(date.startswith("Tuesday") for date in dates), dates
    assert_accessible(page, "sessions-finder-tuesday")
    screenshot(page, "sessions-01-finder-tuesday")
    results.get_by_role("link", name=TUESDAY_GROUP).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TUESDAY_GROUP)
    return int(SESSION_URL.search(page.url).group(1))


def move_to_this_evening(live_site, pk):
    """The organisation moves the session to start in ten minutes (the register opens half an
    hour before the start), as staff would for tonight's meeting."""
    live_site.shell(
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from peerpath.meetings.models import Session\n"
        "from peerpath.meetings.scheduling import move_session\n"
        f"move_session(Session.objects.get(pk={pk}), timezone.now() + timedelta(minutes=10))\n"
    )


def test_a_visitor_books_the_tuesday_group_and_the_facilitator_marks_them_as_came(
    page, browser, live_site
):
    pk = find_tuesday_group(page)
    expect(main(page)).to_contain_text("hearing loop")
    book_session(page, "Robin", "robin@example.org")
    expect(main(page)).to_contain_text("You have a place.")
    expect(main(page).get_by_role("link", name="Add to calendar")).to_be_visible()
    expect(main(page).get_by_role("button", name="Cancel my booking")).to_be_visible()
    assert_accessible(page, "sessions-booking")
    screenshot(page, "sessions-02-booked")

    confirmation = wait_for_mail(live_site, "robin@example.org", "Your place is booked")
    event = next(
        iter(icalendar.Calendar.from_ical(calendar_attachment(confirmation)).walk("VEVENT"))
    )
    starts = event.decoded("DTSTART")
    assert event["DTSTART"].params.get("TZID") == "Europe/London"
    local = starts.astimezone(LONDON)
    assert (local.strftime("%A"), local.time()) == ("Tuesday", datetime.time(19, 0))
    stored = shell_json(
        live_site,
        "import json\n"
        "from peerpath.meetings.models import Session\n"
        f"print(json.dumps(Session.objects.get(pk={pk}).starts_at.isoformat()))",
    )
    assert starts == datetime.datetime.fromisoformat(stored)

    move_to_this_evening(live_site, pk)
    context, facilitator = _new_page(browser, live_site, DESKTOP)
    try:
        log_in(facilitator, FACILITATOR)
        facilitator.goto("/groups/mine/")
        main(facilitator).locator(f'a[href$="/groups/{pk}/roster/"]').first.click()
        expect(facilitator.get_by_role("heading", level=1)).to_have_text(TUESDAY_GROUP)
        came = main(facilitator).get_by_label("Robin", exact=True)
        expect(came).not_to_be_checked()
        came.check()
        main(facilitator).get_by_role("button", name="Save attendance").click()
        expect(message(facilitator)).to_contain_text("Attendance saved.")
        expect(main(facilitator).get_by_label("Robin", exact=True)).to_be_checked()
        assert_accessible(facilitator, "sessions-roster")
        screenshot(facilitator, "sessions-03-roster-attendance")
        assert facilitator.js_errors == [], facilitator.js_errors
    finally:
        context.close()

    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.meetings.models import Booking\n"
        f"b = Booking.objects.get(session_id={pk}, email='robin@example.org')\n"
        "print(json.dumps([b.status, b.attended]))",
    )
    assert recorded == ["confirmed", True]


def free_mentoring_slot(live_site):
    """The id of the soonest one-to-one mentoring appointment nobody has booked yet."""
    return shell_json(
        live_site,
        "import json\n"
        "from peerpath.meetings.models import Session\n"
        "print(json.dumps(Session.objects.filter(workshop__slug='one-to-one-mentoring',"
        " places_taken=0, status='scheduled').order_by('starts_at').first().pk))",
    )


def test_a_cancellation_gives_the_place_to_the_person_on_the_waiting_list(page, browser, live_site):
    pk = free_mentoring_slot(live_site)
    page.goto(f"/groups/{pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(MENTORING)
    book_session(page, "Ola", "ola@example.org")  # the one place: the session is now full
    expect(main(page)).to_contain_text("You have a place.")

    context, waiting = _new_page(browser, live_site, DESKTOP)
    try:
        waiting.goto(f"/groups/{pk}/")
        expect(main(waiting).get_by_role("button", name="Book a place")).to_have_count(0)
        book_session(waiting, "Ben", "ben@example.org", button="Join the waiting list")
        expect(main(waiting)).to_contain_text("You are number 1 on the waiting list.")
        screenshot(waiting, "sessions-04-waiting-list")
        wait_for_mail(live_site, "ben@example.org", "waiting list")

        main(page).get_by_role("button", name="Cancel my booking").click()
        # Were the booking page served with "Referrer-Policy: no-referrer", the browser would send
        # "Origin: null" with this POST and Django's CSRF check would refuse it (403).
        expect(page.get_by_role("heading", level=1), "cancelling was refused").to_have_text(
            "Your booking"
        )
        expect(main(page)).to_contain_text("This booking is cancelled.")
        screenshot(page, "sessions-05-cancelled")

        waiting.reload()
        expect(main(waiting)).to_contain_text("You have a place.")
        expect(main(waiting).get_by_role("link", name="Join the session online")).to_be_visible()
        assert_accessible(waiting, "sessions-promoted")
        screenshot(waiting, "sessions-06-promoted")
        assert waiting.js_errors == [], waiting.js_errors
    finally:
        context.close()

    promotion = wait_for_mail(live_site, "ben@example.org", "A place came free")
    calendar_attachment(promotion)  # a confirmed place comes with its calendar file
    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.meetings.models import Booking, Session\n"
        f"s = Session.objects.get(pk={pk})\n"
        "print(json.dumps([s.places_taken, sorted(Booking.objects.filter(session=s)"
        ".values_list('email', 'status'))]))",
    )
    assert recorded == [
        1,
        [["ben@example.org", "confirmed"], ["ola@example.org", "cancelled"]],
    ]
