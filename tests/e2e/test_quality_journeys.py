"""After the session in a real browser: the demo facilitator completes tonight's Tuesday group and
files its debrief with a safeguarding concern, two participants answer the feedback through their
one-time links, and Riverside's editor finds the concern and the quality report, where two answers
are too few to show any average.

Set-up is what staff and participants would have done before the evening: two people book the
Tuesday group (`booking.book`), and the organisation moves it to have started ten minutes ago
(`scheduling.move_session`, as if moved twenty minutes ago, while it was still ahead). Everything
else is clicked by role and accessible name; the e-mails are the files the live site wrote.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, _new_page, assert_accessible, screenshot
from tests.e2e.journeys import (
    admin_log_in,
    inbox,
    link_in,
    log_in,
    main,
    message,
    shell_json,
    wait_for_mail,
)

FACILITATOR = "facilitator@peerpath.example"
EDITOR = "editor@riverside.example"
TUESDAY_GROUP = "Tuesday evening peer support group"
PARTICIPANTS = {"Ana": "ana@example.org", "Ben": "ben@example.org"}
CONCERN = (
    "A participant said they had stopped taking their medication and felt unsafe at home. I gave "
    "them the crisis line and agreed they would call their GP tomorrow."
)
FEEDBACK_SUBJECT = "Two minutes, anonymous"  # feedback_request_subject.txt
CONCERN_SUBJECT = "Safeguarding concern raised"  # concern_raised_subject.txt
FEEDBACK_LINK = r"https?://\S+/groups/feedback/[^/\s]+/"
ADMIN_CONCERN_LINK = r"https?://\S+/admin/meetings/concerns/inspect/\d+/"


def tonights_session_with_two_bookings(live_site):
    """Ana and Ben book the next Tuesday group; the organisation then moves it to have started
    ten minutes ago (moved twenty minutes ago, when that time was still ahead). Returns the
    session's id, its organisation's safeguarding address and its local date."""
    return shell_json(
        live_site,
        "import json\n"
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from peerpath.meetings.booking import book\n"
        "from peerpath.meetings.models import Session\n"
        "from peerpath.meetings.scheduling import move_session\n"
        "session = Session.objects.filter(workshop__slug='tuesday-evening-group',"
        " status='scheduled', starts_at__gt=timezone.now()).order_by('starts_at').first()\n"
        f"for name, address in {PARTICIPANTS!r}.items():\n"
        "    book(session, first_name=name, email=address)\n"
        "now = timezone.now()\n"
        "session = move_session(session, now - timedelta(minutes=10),"
        " now=now - timedelta(minutes=20))\n"
        "print(json.dumps({'pk': session.pk,"
        " 'safeguarding': session.organisation.safeguarding_email,"
        " 'day': timezone.localtime(session.starts_at).date().isoformat()}))",
    )


def complete_and_file_the_debrief(facilitator, pk):
    """The lead facilitator ticks who came, completes the session and files its debrief with a
    safeguarding concern."""
    log_in(facilitator, FACILITATOR)
    facilitator.goto("/groups/mine/")
    main(facilitator).locator(f'a[href$="/groups/{pk}/roster/"]').first.click()
    expect(facilitator.get_by_role("heading", level=1)).to_have_text(TUESDAY_GROUP)
    for name in PARTICIPANTS:
        main(facilitator).get_by_label(name, exact=True).check()
    main(facilitator).get_by_role("button", name="Save attendance").click()
    expect(message(facilitator)).to_contain_text("Attendance saved.")
    for name in PARTICIPANTS:
        expect(main(facilitator).get_by_label(name, exact=True)).to_be_checked()

    main(facilitator).get_by_role("button", name="Complete session").click()
    expect(message(facilitator)).to_contain_text("Session completed. Attendance recorded: 2.")
    expect(facilitator.get_by_role("heading", level=1)).to_have_text(f"Debrief: {TUESDAY_GROUP}")
    form = main(facilitator).locator("form.debrief-form")
    expect(form.get_by_label("How many people came")).to_have_value("2")
    expect(main(facilitator).get_by_role("region", name="Please write no names")).to_be_visible()
    assert_accessible(facilitator, "quality-debrief-form")
    screenshot(facilitator, "quality-01-debrief-form")

    form.get_by_role("group", name="How did it go?").get_by_label("It went well").check()
    signposting = form.get_by_role("group", name="Did you point anyone to more help?")
    signposting.get_by_label("Crisis line", exact=True).check()
    fidelity = form.get_by_role("group", name="Did the session follow the plan?")
    expect(fidelity.get_by_role("checkbox").first).to_be_visible()
    for check in fidelity.get_by_role("checkbox").all():
        check.check()
    concern = form.get_by_role("group", name="Do you have a safeguarding concern?")
    concern.get_by_label("Yes", exact=True).check()
    concern.get_by_label(re.compile(r"^What happened, and what you did")).fill(CONCERN)
    screenshot(facilitator, "quality-02-debrief-filled")
    form.get_by_role("button", name="File the debrief").click()

    expect(message(facilitator)).to_contain_text("Thank you: the debrief is filed.")
    expect(message(facilitator)).to_contain_text(
        "Your safeguarding concern is being sent to Riverside"
    )
    filed = main(facilitator).get_by_role("region", name="Debrief filed")
    expect(filed).to_contain_text("Filed by Jamie Okafor")
    expect(filed).to_contain_text("Crisis line")
    expect(filed).to_contain_text("Yes: raised with the organisation's safeguarding lead.")
    expect(filed.locator(".concern-summary")).to_contain_text("stopped taking their medication")
    expect(main(facilitator).locator("form.debrief-form")).to_have_count(0)
    assert_accessible(facilitator, "quality-debrief-filed")
    screenshot(facilitator, "quality-03-debrief-filed")


def answer_feedback(page, link, number):
    """Open a participant's one-time link and answer the three statements."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("How was the session for you?")
    expect(main(page)).to_contain_text(TUESDAY_GROUP)
    form = main(page).locator("form.feedback-form")
    for statement, answer in (
        ("I felt safe", "Agree"),
        ("I felt heard", "Strongly agree"),
        ("I would come again", "Agree"),
    ):
        form.get_by_role("group", name=statement).get_by_label(answer, exact=True).check()
    if number == 1:
        assert_accessible(page, "quality-feedback-form")
        screenshot(page, "quality-05-feedback-form")
    form.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    if number == 1:
        screenshot(page, "quality-06-feedback-thanks")

    # The link worked once: opened again, it says so (410), and shows no form.
    response = page.goto(link)
    assert response.status == 410, response.status
    expect(page.get_by_role("heading", level=1)).to_have_text("This feedback link no longer works")
    expect(main(page)).to_contain_text("This link has already been used or has expired.")
    expect(main(page).locator("form.feedback-form")).to_have_count(0)
    if number == 1:
        screenshot(page, "quality-07-feedback-link-used")


def test_a_debrief_with_a_concern_and_two_answers_reach_the_organisation(page, browser, live_site):
    tonight = tonights_session_with_two_bookings(live_site)
    pk = tonight["pk"]
    assert tonight["safeguarding"] == "safeguarding@riverside.example"

    complete_and_file_the_debrief(page, pk)
    assert page.js_errors == [], page.js_errors

    # The concern went to Riverside's safeguarding address at once, with the staff-only link and
    # nothing that names a participant.
    alert = wait_for_mail(live_site, tonight["safeguarding"], CONCERN_SUBJECT)
    assert TUESDAY_GROUP in alert["Subject"]
    text = alert.get_body(preferencelist=("plain",)).get_content()
    assert "stopped taking their medication" in text
    assert "Jamie Okafor" in text  # who raised it
    for name, address in PARTICIPANTS.items():
        assert not re.search(rf"\b{name}\b", text), f"{name} is named in the concern e-mail"
        assert address not in text
    concern_link = link_in(text, ADMIN_CONCERN_LINK)

    # Each participant who came has their own link; each answers through it once.
    for number, address in enumerate(PARTICIPANTS.values(), start=1):
        request = wait_for_mail(live_site, address, FEEDBACK_SUBJECT)
        link = link_in(request.get_body(preferencelist=("plain",)).get_content(), FEEDBACK_LINK)
        context, participant = _new_page(browser, live_site, DESKTOP)
        try:
            answer_feedback(participant, link, number)
            assert participant.js_errors == [], participant.js_errors
        finally:
            context.close()

    # Riverside's editor: the concern, open, from the Safeguarding menu.
    context, staff = _new_page(browser, live_site, DESKTOP)
    try:
        admin_log_in(staff, EDITOR)
        menu = staff.get_by_role("navigation", name="Main menu")
        menu.get_by_role("button", name="Safeguarding").click()
        menu.get_by_role("link", name="Safeguarding concerns").click()
        admin_main = staff.get_by_role("main")
        rows = admin_main.get_by_role("row").filter(has_text=TUESDAY_GROUP)
        expect(rows.first).to_be_visible()
        row = rows.filter(has_text="Open: not yet picked up")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Jamie Okafor")
        screenshot(staff, "quality-08-concerns")
        row.get_by_role("link").first.click()
        expect(admin_main).to_contain_text("stopped taking their medication")
        expect(admin_main).to_contain_text(tonight["safeguarding"])  # where it was sent
        screenshot(staff, "quality-09-concern")
        # The e-mail's link opens the same concern for the staff.
        staff.goto(concern_link)
        expect(staff.get_by_role("main")).to_contain_text("stopped taking their medication")

        # The quality report, for tonight's Tuesday group only: two answers, so no averages.
        menu = staff.get_by_role("navigation", name="Main menu")
        menu.get_by_role("button", name="Sessions").click()
        menu.get_by_role("link", name="Quality").click()
        admin_main = staff.get_by_role("main")
        filters = admin_main.get_by_role("group", name="What to show")
        filters.get_by_label("Workshop").select_option(label=TUESDAY_GROUP)
        filters.get_by_label("From").fill(tonight["day"])
        filters.get_by_label("To", exact=True).fill(tonight["day"])
        filters.get_by_label("Group by").select_option(label="Workshop")
        admin_main.get_by_role("button", name="Show").click()
        summary = admin_main.get_by_role("region", name=re.compile(r"^At a glance"))
        expect(summary).to_contain_text("Not enough responses yet (2 of 5).")
        expect(summary).to_contain_text("1 concern raised")
        screenshot(staff, "quality-10-report")
        table = admin_main.get_by_role("region", name="By workshop")
        row = table.get_by_role("row").filter(has_text=TUESDAY_GROUP)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("2 (not enough yet)")
        # The three statements' cells: a dash for the eye, the reason for screen readers.
        statements = row.get_by_role("cell").filter(has_text="Not enough responses yet")
        expect(statements).to_have_count(3)
        for cell in statements.all():
            expect(cell).to_have_text(re.compile(r"^—\s*Not enough responses yet$"))
        expect(row).to_contain_text("Open: not yet picked up: 1")
        row.scroll_into_view_if_needed()
        screenshot(staff, "quality-11-report-suppressed")
        assert staff.js_errors == [], staff.js_errors
    finally:
        context.close()

    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.meetings.models import FeedbackInvitation, FeedbackResponse,"
        " SafeguardingConcern, Session\n"
        f"session = Session.objects.get(pk={pk})\n"
        "concerns = SafeguardingConcern.objects.filter(session=session)\n"
        "print(json.dumps({\n"
        "  'status': session.status,\n"
        "  'concerns': list(concerns.values_list('status', 'notified_to', 'summary')),\n"
        "  'notified': concerns.filter(notified_at__isnull=False).count(),\n"
        "  'responses': sorted(FeedbackResponse.objects.filter(session=session)"
        ".values_list('felt_safe', 'felt_heard', 'would_return')),\n"
        "  'invitations': FeedbackInvitation.objects.filter(session=session).count(),\n"
        "}))",
    )
    assert recorded == {
        "status": "completed",
        "concerns": [["open", tonight["safeguarding"], CONCERN]],
        "notified": 1,
        "responses": [[4, 5, 4], [4, 5, 4]],
        "invitations": 0,
    }
    # One e-mail about the concern, never a second.
    alerts = [
        m for m in inbox(live_site, tonight["safeguarding"]) if CONCERN_SUBJECT in m["Subject"]
    ]
    assert len(alerts) == 1, [m["Subject"] for m in alerts]
