"""An organisation runs its own people, in a real browser: Riverside's coordinator uploads a list of
five volunteers, corrects the one malformed address in the preview, checks again and sends the five
invitations; one invitee follows the link from their e-mail, creates an account on the join page
and appears in the cohort's coach view. Then the coordinator opens the impact report and downloads
its PDF.

axe checks the People list, the upload preview, the coach view, the impact report and the public
join page. Everything is clicked by role and accessible name; the e-mails are the files the live
site wrote (config/settings/e2e.py), and the demo (`load_demo`) gave Riverside its coordinator and
its cohort "Autumn 2026 volunteers" with four members.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, _new_page, assert_accessible, screenshot
from tests.e2e.journeys import admin_log_in, inbox, link_in, main, message, wait_for_mail

COORDINATOR = "coordinator@riverside.example"
ORGANISATION = "Riverside Peer Support"
COHORT = "Autumn 2026 volunteers"
PROGRAMME_TITLE = "Peer Support Group Facilitator Foundations"
DEMO_MEMBERS = 4  # home/demo_coordination.py: Riverside's cohort before the journey
BAD_ADDRESS = "sam.okoro.example.org"  # the @ is missing
VOLUNTEERS = {
    "Alex Morgan": "alex.morgan@example.org",
    "Bea Collins": "bea.collins@example.org",
    "Sam Okoro": "sam.okoro@example.org",
    "Dev Patel": "dev.patel@example.org",
    "Erin Walsh": "erin.walsh@example.org",
}
INVITEE = "Alex Morgan"
INVITATION_SUBJECT = "You are invited to join"  # email/invitation_subject.txt
JOIN_LINK = r"https?://\S+/join/[^/\s]+/"


def volunteers_csv():
    """The coordinator's spreadsheet: five volunteers for the cohort, Sam's address mistyped."""
    lines = ["name,email,cohort"]
    for name, address in VOLUNTEERS.items():
        typed = BAD_ADDRESS if name == "Sam Okoro" else address
        lines.append(f"{name},{typed},{COHORT}")
    return ("\n".join(lines) + "\n").encode()


def people_menu(page, item):
    """Open an item of the admin's People menu."""
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="People").click()
    menu.get_by_role("link", name=item, exact=True).click()


def open_coach_view(page):
    people_menu(page, "Cohorts")
    page.get_by_role("main").get_by_role("link", name=COHORT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT)
    return page.get_by_role("main")


def upload_and_send(page):
    """Upload the list, fix Sam's address in its row of the preview, check again and send."""
    admin = page.get_by_role("main")
    people_menu(page, "Invitations")
    admin.get_by_role("link", name="Upload a list").click()
    expect(admin.get_by_label("Organisation")).to_have_value(re.compile(r"\d+"))
    admin.get_by_label("Spreadsheet").set_input_files(
        {"name": "volunteers.csv", "mimeType": "text/csv", "buffer": volunteers_csv()}
    )
    admin.get_by_role("button", name="Check the list").click()

    # The preview: every row, Sam's with its problem beside it; nothing can be sent yet.
    expect(admin).to_contain_text("5 rows: 4 ready, 1 needs a fix")
    rows = admin.get_by_role("table", name="The rows of the file").get_by_role("row")
    expect(rows).to_have_count(6)  # the header and five rows
    bad_row = rows.filter(has_text="This is not a valid e-mail address.")
    expect(bad_row).to_have_count(1)
    address = bad_row.get_by_role("textbox", name="E-mail address")
    expect(address).to_have_value(BAD_ADDRESS)
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(bad_row.get_by_role("textbox", name="Name")).to_have_value("Sam Okoro")
    expect(admin.get_by_role("button", name="Send the invitations")).to_be_disabled()
    assert_accessible(page, "organisation-upload-preview")
    screenshot(page, "organisation-01-upload-preview")

    address.fill(VOLUNTEERS["Sam Okoro"])
    admin.get_by_role("button", name="Check again").click()
    expect(admin).to_contain_text("5 rows: 5 ready")
    expect(admin).not_to_contain_text("This is not a valid e-mail address.")
    assert_accessible(page, "organisation-upload-preview-ready")
    screenshot(page, "organisation-02-upload-ready")

    admin.get_by_role("button", name="Send 5 invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    expect(admin).to_contain_text("5 invitations sent.")
    listing = admin.get_by_role("table", name="Invitations")
    for address in VOLUNTEERS.values():
        expect(listing.get_by_role("row").filter(has_text=address)).to_contain_text("Pending")
    screenshot(page, "organisation-03-invitations-sent")


def accept_invitation(page, live_site):
    """The invitee opens the link from their e-mail and creates an account on the join page."""
    invitation = wait_for_mail(live_site, VOLUNTEERS[INVITEE], INVITATION_SUBJECT)
    assert ORGANISATION in invitation["Subject"], invitation["Subject"]
    text = invitation.get_body(preferencelist=("plain",)).get_content()
    assert f"Hello {INVITEE.split()[0]}," in text  # greeted by first name
    assert COHORT in text
    page.goto(link_in(text, JOIN_LINK))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {ORGANISATION}")
    form = main(page).locator("form")
    expect(form.get_by_label("E-mail address")).to_have_value(VOLUNTEERS[INVITEE])
    expect(form.get_by_label("E-mail address")).to_be_disabled()
    expect(form.get_by_label("Full name")).to_have_value(INVITEE)
    assert_accessible(page, "organisation-join-page")
    screenshot(page, "organisation-04-join-page")

    password = "a-long-unusual-passphrase-2026"
    form.get_by_label("Password", exact=True).fill(password)
    form.get_by_label("Password again").fill(password)
    form.get_by_label("I agree that PeerPath may store my training data").check()
    form.get_by_role("button", name="Create my account and join").click()

    # Joined and signed in, on the cohort's programme, in which they are now enrolled.
    expect(message(page)).to_contain_text(
        f"Welcome to {ORGANISATION}: you have joined the organisation."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME_TITLE)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "organisation-05-joined")


def test_coordinator_invites_a_list_and_an_invitee_joins_the_cohort(page, browser, live_site):
    admin_log_in(page, COORDINATOR)
    admin = page.get_by_role("main")

    # The People list and the coach view as the demo left them.
    people_menu(page, "People")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(admin.get_by_role("table", name="Members of your organisations")).to_be_visible()
    assert_accessible(page, "organisation-people")
    screenshot(page, "organisation-00-people")
    coach = open_coach_view(page)
    cards = coach.get_by_role("region", name="Summary")
    expect(cards).to_contain_text(f"{DEMO_MEMBERS} members")
    expect(coach.get_by_role("rowheader", name=re.compile(INVITEE))).to_have_count(0)

    upload_and_send(page)
    for address in VOLUNTEERS.values():
        wait_for_mail(live_site, address, INVITATION_SUBJECT)
        assert len(inbox(live_site, address)) == 1, address

    context, invitee = _new_page(browser, live_site, DESKTOP)
    try:
        accept_invitation(invitee, live_site)
        assert invitee.js_errors == [], invitee.js_errors
    finally:
        context.close()

    # The coordinator comes back to the coach view: the new member is in the cohort.
    coach = open_coach_view(page)
    expect(coach.get_by_role("region", name="Summary")).to_contain_text(
        f"{DEMO_MEMBERS + 1} members"
    )
    member = coach.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(INVITEE))
    )
    expect(member).to_have_count(1)
    expect(member).to_contain_text("0 of")
    assert_accessible(page, "organisation-coach-view")
    screenshot(page, "organisation-06-coach-view")

    # ...and the invitation reads Accepted; the other four still wait.
    people_menu(page, "Invitations")
    listing = admin.get_by_role("table", name="Invitations")
    expect(listing.get_by_role("row").filter(has_text=VOLUNTEERS[INVITEE])).to_contain_text(
        "Accepted"
    )
    for name, address in VOLUNTEERS.items():
        if name != INVITEE:
            expect(listing.get_by_role("row").filter(has_text=address)).to_contain_text("Pending")


def test_coordinator_downloads_the_impact_report_as_a_pdf(page, live_site):
    admin_log_in(page, COORDINATOR)
    people_menu(page, "Impact report")
    # A coordinator of one organisation goes straight to its report.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Impact report: {ORGANISATION}")
    admin = page.get_by_role("main")
    expect(admin.get_by_role("link", name="Download PDF")).to_be_visible()
    assert_accessible(page, "organisation-impact-report")
    screenshot(page, "organisation-07-impact-report")

    with page.expect_download() as download_info:
        admin.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.lower().endswith(".pdf"), download.suggested_filename
    with open(download.path(), "rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF"), content[:20]
