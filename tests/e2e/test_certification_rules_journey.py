"""The certification rules in a real browser, with the demo people at each stage of them.

- A Recovery Peer Specialist whose certificate expires within a month, with every renewal
  requirement met, renews it from My training and checks the new one on its public page.
- A Peer Wellness Facilitator part-way to renewal logs continuing education with a PDF as evidence
  (a text file named .pdf is refused, and nothing is saved); the Ethics hours go up.
- A learner whose PWF check window closed restarts the programme and is given a new deadline.
- A provisional Community Peer Practitioner sees their progress towards full certification.

Every test has its own copy of the demo database (see conftest), so each may change its person.
"""

import datetime
import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.journeys import log_in, main, message, shell_json

RPS_RENEWAL = "rps.renewal@peerpath.example"
RPS_HOLDER_NAME = "Tomás Lindqvist"
RPS_CREDENTIAL = "Recovery Peer Specialist"
PWF_HOLDER = "pwf.holder@peerpath.example"
PWF_RESTART = "pwf.restart@peerpath.example"
PWF_TITLE = "Peer Wellness Facilitator Training"
CPP_PROVISIONAL = "cpp.provisional@peerpath.example"
CPP_TITLE = "Community Peer Practitioner: Supervised Pathway"

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def open_my_training(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    expect(page).to_have_url(re.compile(r"/training/my/$"))


def certificate_card(page, credential):
    return (
        page.get_by_role("region", name="My certificates")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=credential, exact=True))
    )


def summary_value(card, term):
    """The value a certificate card gives for `term` ("Certificate number", "Valid until"…)."""
    return card.locator("dl.summary dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def requirement(scope, label):
    """One requirement's progress bar, named by its label ("…: 60 of 250 hours")."""
    return scope.get_by_role("progressbar", name=re.compile("^" + re.escape(label)))


def ethics_hours(renewal):
    """The Ethics row of the renewal's table of continuing-education hours, as a number."""
    row = renewal.get_by_role("row").filter(
        has=renewal.page.get_by_role("cell", name="Ethics", exact=True)
    )
    return float(row.get_by_role("cell").nth(1).inner_text())


def server_today(live_site):
    return shell_json(
        live_site,
        "import json\nfrom django.utils import timezone\n"
        "print(json.dumps(timezone.localdate().isoformat()))",
    )


# --- 1. renewing a certificate -------------------------------------------------------------------


def test_holder_renews_a_certificate_and_verifies_the_new_one(page, live_site):
    log_in(page, RPS_RENEWAL)
    open_my_training(page)
    [old] = certificate_card(page, RPS_CREDENTIAL).all()
    old_number = summary_value(old, "Certificate number").inner_text().strip()

    renewal = old.get_by_role("region", name="Towards renewal")
    for label in (
        "Continuing-education hours (any category): 36.5 of 36 hours",
        "Continuing-education hours in Ethics: 3.5 of 3 hours",
        "Continuing-education hours in Peer support and recovery: 24 of 24 hours",
    ):
        bar = requirement(renewal, label)
        expect(bar).to_have_accessible_name(re.compile(r"— met$"))
        expect(bar).to_have_attribute("value", "100")
    expect(renewal).to_contain_text("You have met every renewal requirement.")
    expect(renewal).not_to_contain_text("Still needed")
    screenshot(page, "rules-01-renewal-ready")

    renewal.get_by_role("button", name="Renew my certificate").click()

    expect(page).to_have_url(re.compile(r"/training/my/$"))
    expect(message(page)).to_contain_text("Renewed: your new certificate is")
    text = message(page).inner_text()
    found = re.search(
        r"Renewed: your new certificate is (\S+)\. It is valid until (\d{1,2} \w+ \d{4})\.", text
    )
    assert found, text
    new_number, valid_until = found.groups()
    assert new_number != old_number, (new_number, old_number)

    new = certificate_card(page, RPS_CREDENTIAL).filter(has_text=new_number)
    expect(new).to_have_count(1)
    expect(new.get_by_role("status")).to_contain_text("Valid")
    expect(summary_value(new, "Valid until")).to_have_text(valid_until)
    assert_accessible(page, "rules-my-training-renewed")
    screenshot(page, "rules-02-renewed")

    verification_url = new.get_by_label("Verification link to share").input_value()
    assert "/certificates/verify/" in verification_url, verification_url
    page.goto(verification_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate check")
    expect(page.get_by_role("status")).to_contain_text("Valid")
    details = main(page).locator("dl.verification__details")
    expect(details).to_contain_text(RPS_HOLDER_NAME)
    expect(details).to_contain_text(RPS_CREDENTIAL)
    screenshot(page, "rules-03-renewed-verification")

    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.certificates.models import Certificate\n"
        f"rows = Certificate.objects.with_status().filter(holder__email={RPS_RENEWAL!r})\n"
        "print(json.dumps({c.number: [c.status, c.display_code,"
        " c.valid_until.isoformat() if c.valid_until else None] for c in rows}))",
    )
    assert recorded[new_number][0] == "valid", recorded
    assert verification_url.endswith(f"/certificates/verify/{recorded[new_number][1]}/")
    assert recorded[old_number][0] != "valid", recorded
    assert recorded[new_number][2] > recorded[old_number][2], recorded


# --- 2. continuing education ----------------------------------------------------------------------


def log_activity(page, today, *, title, evidence):
    form = main(page).get_by_role("region", name="Log an activity")
    form.get_by_label("Activity").fill(title)
    form.get_by_label("Provider").fill("Riverside Peer Support")
    form.get_by_label("Date").fill(today)
    form.get_by_label("Hours").fill("2")
    form.get_by_label("Category").select_option(label="Ethics")
    form.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    form.get_by_role("button", name="Log activity").click()


def test_holder_logs_continuing_education_with_evidence(page, live_site, tmp_path):
    log_in(page, PWF_HOLDER)
    open_my_training(page)
    renewal = certificate_card(page, "Peer Wellness Facilitator").get_by_role(
        "region", name="Towards renewal"
    )
    still_needed = renewal.locator("p.help").filter(has_text="Still needed:")
    expect(still_needed).to_contain_text(
        "7.5 more hours: continuing-education hours (any category)"
    )
    expect(still_needed).to_contain_text("2 more sessions (sessions led as the lead facilitator)")
    expect(requirement(renewal, "Continuing-education hours (any category)")).to_have_attribute(
        "value", "37"
    )
    ethics_before = ethics_hours(renewal)
    assert_accessible(page, "rules-my-training-pwf-holder")
    screenshot(page, "rules-04-pwf-still-needed")

    renewal.get_by_role("link", name="Log continuing education").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Continuing education")
    today = server_today(live_site)

    def activities_count():
        return shell_json(
            live_site,
            "import json\nfrom peerpath.training.models import ContinuingEducationActivity as A\n"
            f"print(json.dumps(A.objects.filter(learner__email={PWF_HOLDER!r}).count()))",
        )

    before = activities_count()

    # A text file with a .pdf name is refused, with a clear message, and nothing is saved.
    fake = tmp_path / "attendance.pdf"
    fake.write_text("I attended the course, honestly.\n")
    log_activity(page, today, title="Not really a PDF", evidence=fake)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("This file is not the PDF, PNG or JPEG its name says it is.")
    expect(main(page).get_by_role("region", name="Your activities")).not_to_contain_text(
        "Not really a PDF"
    )
    screenshot(page, "rules-05-ce-refused")
    assert activities_count() == before

    # A real PDF is accepted.
    evidence = tmp_path / "ethics-certificate.pdf"
    evidence.write_bytes(PDF)
    title = "Confidentiality and boundaries refresher"
    log_activity(page, today, title=title, evidence=evidence)
    expect(message(page)).to_contain_text("Activity logged. Its hours count towards your renewal.")
    row = (
        main(page)
        .get_by_role("region", name="Your activities")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=title))
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ethics")
    link = row.get_by_role("link", name="ethics-certificate.pdf")
    expect(link).to_be_visible()
    screenshot(page, "rules-06-ce-logged")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200, response.status
    assert response.body() == PDF
    assert activities_count() == before + 1

    page.get_by_role("link", name="Back to My training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    renewal = certificate_card(page, "Peer Wellness Facilitator").get_by_role(
        "region", name="Towards renewal"
    )
    expect(
        requirement(renewal, "Continuing-education hours (any category): 6.5 of 12")
    ).to_be_visible()
    assert ethics_hours(renewal) == ethics_before + 2
    expect(renewal.locator("p.help")).to_contain_text("5.5 more hours")


# --- 3. restarting the programme -----------------------------------------------------------------


def test_learner_restarts_after_the_check_window_closed(page, live_site):
    log_in(page, PWF_RESTART)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Training programmes"
    ).click()
    main(page).get_by_role("link", name=PWF_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PWF_TITLE)

    progress = page.get_by_role("region", name="Your progress")
    expect(progress).to_contain_text("The time to pass the knowledge checks ran out on")
    expect(progress).to_contain_text("Your time to pass the knowledge checks has run out")
    expect(progress).to_contain_text("gives you 365 days from the restart")
    assert_accessible(page, "rules-programme-restart")
    screenshot(page, "rules-07-restart")

    today = datetime.date.fromisoformat(server_today(live_site))
    progress.get_by_role("button", name="Restart the programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PWF_TITLE)
    expect(message(page)).to_contain_text("You have restarted the programme.")
    expect(message(page)).to_contain_text("You have until")
    expect(message(page)).to_contain_text("to pass the knowledge checks")

    # The new deadline is 365 days from the restart (the programme's check window).
    text = message(page).inner_text()
    found = re.search(r"You have until (\d{1,2} \w+ \d{4}) at \d\d:\d\d UTC", text)
    assert found, text
    deadline = datetime.datetime.strptime(found.group(1), "%d %B %Y").date()
    assert deadline - today in {datetime.timedelta(days=365), datetime.timedelta(days=366)}, (
        deadline,
        today,
    )
    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.training.models import CheckAttempt, Enrolment, ModulePage, ModuleProgress\n"
        f"e = Enrolment.objects.get(user__email={PWF_RESTART!r}, programme__title={PWF_TITLE!r})\n"
        "modules = ModulePage.objects.descendant_of(e.programme)\n"
        "print(json.dumps([e.restarted_at is not None,"
        " CheckAttempt.objects.filter(user=e.user, module__in=modules).count(),"
        " ModuleProgress.objects.filter(user=e.user, completed_at__isnull=False,"
        " module__in=modules).count()]))",
    )
    assert recorded == [True, 0, 0], recorded
    progress = page.get_by_role("region", name="Your progress")
    expect(progress.get_by_role("button", name="Restart the programme")).to_have_count(0)
    expect(progress).to_contain_text("0 of 3 required modules")
    screenshot(page, "rules-08-restarted")


# --- 4. towards full certification ---------------------------------------------------------------


def test_provisional_holder_sees_progress_towards_full_certification(page):
    log_in(page, CPP_PROVISIONAL)
    open_my_training(page)
    panel = page.get_by_role("region", name="Towards full certification")
    expect(panel.get_by_role("heading", name=CPP_TITLE)).to_be_visible()
    hours = requirement(panel, "Supervised practice hours signed off: 60 of 250 hours")
    expect(hours).to_have_attribute("value", "24")
    sessions = requirement(panel, "Sessions co-facilitated: 1 of 3")
    expect(sessions).to_have_attribute("value", "33")
    expect(
        certificate_card(page, "Community Peer Practitioner").get_by_role("status")
    ).to_contain_text("Provisional")
    screenshot(page, "rules-09-towards-full")
