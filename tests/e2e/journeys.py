"""Steps shared by the browser journeys: signing up and in, studying, answering knowledge checks.

Every step clicks (or types into) controls found by role and accessible name, as a person would.
The knowledge checks' right answers come from the training demo, which is what `load_demo` loaded.
"""

import email
import email.policy
import io
import json
import re
import time
from dataclasses import dataclass

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot

DEMO_PASSWORD = "peerpath-demo-2026"
PROGRAMME_TITLE = "Peer Support Group Facilitator Foundations"
CREDENTIAL = "Peer Support Group Facilitator"
PROGRAMMES_MENU = "Training programmes"


@dataclass(frozen=True)
class Question:
    prompt: str
    kind: str  # "single" or "multiple"
    right: tuple  # the texts of the right choices
    wrong: tuple  # the texts of the wrong choices
    explanation: str


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    required: bool
    questions: tuple


def demo_modules():
    """The demo programme's modules in study order (the demo lists them prerequisites first)."""
    from home.demo_training import MODULES

    return [
        Module(
            slug=spec["slug"],
            title=spec["title"],
            required=spec.get("required", True),
            questions=tuple(
                Question(
                    prompt=prompt,
                    kind=kind,
                    right=tuple(text for text, correct in choices if correct),
                    wrong=tuple(text for text, correct in choices if not correct),
                    explanation=explanation,
                )
                for prompt, kind, choices, explanation in spec["questions"]
            ),
        )
        for spec in MODULES
    ]


def demo_module(slug):
    return next(module for module in demo_modules() if module.slug == slug)


def main(page):
    return page.get_by_role("main")


def message(page):
    """The flash messages region (role=status) at the top of the main content."""
    return main(page).locator(".messages")


# --- accounts -------------------------------------------------------------------------------


def fill_sign_up_form(page, name, email, password):
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_label("I agree that PeerPath may store my training data").check()
    page.get_by_role("button", name="Sign up").click()


def log_in_after_sign_up(page, email, password):
    """Sign-up answers the same whether or not the address was new (being registered is itself
    sensitive), so nobody is logged in by it: the site asks the newcomer to log in."""
    expect(message(page)).to_contain_text("We have sent an e-mail")
    main(page).get_by_label("E-mail address").fill(email)
    main(page).get_by_label("Password").fill(password)
    main(page).get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def inbox(live_site, address):
    """The e-mails the live site sent to `address`, oldest first (config/settings/e2e.py writes
    them to files beside its database)."""
    folder = live_site.db_path.parent / "mail"
    messages = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                message = email.message_from_bytes(raw.strip(), policy=email.policy.default)
                if address in message.get("To", ""):
                    messages.append(message)
    return messages


def confirmation_link(live_site, address, timeout=10):
    """The link in the latest e-mail asking `address` to confirm itself."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(inbox(live_site, address)):
            text = message.get_body(preferencelist=("plain",)).get_content()
            found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text)
            if found:
                return found.group(0)
        if time.monotonic() > deadline:
            raise AssertionError(f"no confirmation e-mail reached {address}")
        time.sleep(0.2)


def confirm_email_address(page, live_site, address):
    """Open the link from the confirmation e-mail and confirm, as the learner would."""
    page.goto(confirmation_link(live_site, address))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(message(page)).to_contain_text(f"{address} is confirmed")


def log_in(page, email, password=DEMO_PASSWORD):
    """Log in from the header's link, ending on the page the site sends people to afterwards."""
    page.goto("/")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def open_programme(page):
    """From the home page, through the main menu, to the demo programme."""
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name=PROGRAMMES_MENU).click()
    main(page).get_by_role("link", name=PROGRAMME_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME_TITLE)


def back_to_programme(page):
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=PROGRAMME_TITLE
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME_TITLE)


def open_module(page, module):
    """Open a module from the programme page's list of modules."""
    page.get_by_role("region", name="Modules").get_by_role(
        "link", name=module.title, exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(module.title)


# --- knowledge checks -------------------------------------------------------------------------


def question_group(page, question):
    """The fieldset of one question: its accessible name is its legend, which holds the prompt."""
    return page.locator("form.check-form").get_by_role(
        "group", name=re.compile(re.escape(question.prompt))
    )


def answer_check(page, module, *, right=True, keep_right=()):
    """Choose answers for every question: all right, or all wrong except those in `keep_right`.

    A wrong answer to a "select all" question is one wrong choice on its own.
    """
    for number, question in enumerate(module.questions):
        group = question_group(page, question)
        if right or number in keep_right:
            texts = question.right
        else:
            texts = question.wrong[:1]
        for text in texts:
            group.get_by_label(text, exact=True).check()


def submit_check(page):
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Your result"))).to_be_visible()
    return page.get_by_role("region", name=re.compile(r"^Your result"))


def pass_check(page, module):
    answer_check(page, module, right=True)
    result = submit_check(page)
    expect(result).to_contain_text("Passed")
    expect(result).to_contain_text(
        f"You answered {len(module.questions)} of {len(module.questions)} questions correctly"
    )
    expect(result).to_contain_text("100%")
    return result


def fail_then_pass_check(page, module, prefix):
    """Fail the check once (only the first answer right), read the feedback, then pass it."""
    answer_check(page, module, right=False, keep_right=(0,))
    result = submit_check(page)
    total = len(module.questions)
    score = round(100 / total)
    expect(message(page)).to_contain_text(f"You scored {score}%; the pass mark is")
    expect(result).to_contain_text("Not passed yet")
    expect(result).to_contain_text(f"You answered 1 of {total} questions correctly")
    expect(result).to_contain_text(f"{score}%")
    answers = result.get_by_role("listitem").filter(has=page.locator(".answer__verdict"))
    expect(answers).to_have_count(total)
    expect(answers.nth(0)).to_contain_text("Right.")
    for number, question in enumerate(module.questions):
        item = answers.nth(number)
        expect(item).to_contain_text(question.prompt)
        expect(item).to_contain_text(question.explanation)
        if number:
            expect(item).to_contain_text("Not quite.")
            expect(item).to_contain_text(question.wrong[0])
    assert_accessible(page, f"{prefix}-check-result-failed")
    screenshot(page, f"{prefix}-04-check-failed")

    # The form is offered again below the feedback, with nothing chosen.
    result = pass_check(page, module)
    assert_accessible(page, f"{prefix}-check-result-passed")
    screenshot(page, f"{prefix}-05-check-passed")
    return result


def mark_complete(page):
    page.get_by_role("button", name="Mark as complete").click()
    expect(message(page)).to_contain_text("Module complete. Well done.")
    expect(page.get_by_role("region", name="Finished reading?")).to_contain_text(
        "You completed this module on"
    )


# --- the whole learner journey ----------------------------------------------------------------


@dataclass
class LearnerJourney:
    name: str
    email: str
    verification_url: str = ""
    pdf_text: str = ""


def learner_journey(page, live_site, *, name, email, prefix, fail_module="what-peer-support-is"):
    """Sign up, enrol, study every module, agree, confirm the e-mail address from the link the
    site sent, download the certificate and verify it.

    Returns what the journey saw (the verification link and the PDF's text) for further checks.
    """
    from pypdf import PdfReader

    journey = LearnerJourney(name=name, email=email)
    modules = demo_modules()

    # Anyone can read about the programme; studying it needs an account.
    open_programme(page)
    expect(main(page).get_by_role("heading", name="Log in to start training")).to_be_visible()
    assert_accessible(page, f"{prefix}-programme-anonymous")
    screenshot(page, f"{prefix}-01-programme")

    main(page).get_by_role("link", name="Sign up").click()
    fill_sign_up_form(page, name, email, "a-long-unusual-passphrase-2026")
    log_in_after_sign_up(page, email, "a-long-unusual-passphrase-2026")
    # Signing up from the programme page brings the learner back to it.
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME_TITLE)

    page.get_by_role("button", name="Enrol").click()
    expect(message(page)).to_contain_text(f"You are enrolled in {PROGRAMME_TITLE}")
    progress = page.get_by_role("region", name="Your progress")
    required = sum(module.required for module in modules)
    expect(progress).to_contain_text(f"0 of {required} required modules")
    assert_accessible(page, f"{prefix}-programme-enrolled")
    screenshot(page, f"{prefix}-02-enrolled")

    for module in modules:
        open_module(page, module)
        if module.slug == modules[0].slug:
            assert_accessible(page, f"{prefix}-module")
            screenshot(page, f"{prefix}-03-module")
        if not module.questions:
            mark_complete(page)
        elif module.slug == fail_module:
            fail_then_pass_check(page, module, prefix)
        else:
            pass_check(page, module)
        back_to_programme(page)

    progress = page.get_by_role("region", name="Your progress")
    expect(progress).to_contain_text(f"{required} of {required} required modules")
    expect(progress).to_contain_text("100%")

    # The last step: the code of conduct.
    conduct = page.get_by_role("region", name="Code of conduct")
    expect(conduct).to_contain_text("Listen without judgement")
    conduct.get_by_role("button", name="I agree").click()
    expect(message(page)).to_contain_text("Your agreement to the code of conduct is recorded")
    expect(message(page)).to_contain_text("Congratulations: you have completed the programme.")
    expect(page.get_by_role("region", name="Code of conduct")).to_contain_text("Agreed")
    # No certificate until the address it is issued to is confirmed.
    expect(page.get_by_role("region", name="Your progress")).to_contain_text(
        "Confirm your e-mail address to receive your certificate"
    )
    assert_accessible(page, f"{prefix}-programme-complete")
    screenshot(page, f"{prefix}-06-programme-complete")

    confirm_email_address(page, live_site, email)

    # The certificate appears on My training.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    certificates = page.get_by_role("region", name="My certificates")
    card = certificates.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=CREDENTIAL, exact=True)
    )
    expect(card).to_have_count(1)
    expect(card.get_by_role("status")).to_contain_text("Valid")
    assert_accessible(page, f"{prefix}-my-training")
    screenshot(page, f"{prefix}-07-my-training")

    with page.expect_download() as download_info:
        card.get_by_role("link", name="Download certificate (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.lower().endswith(".pdf"), download.suggested_filename
    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF"), content[:20]
    journey.pdf_text = "\n".join(
        page_.extract_text() or "" for page_ in PdfReader(io.BytesIO(content)).pages
    )
    assert name in journey.pdf_text, journey.pdf_text[:500]

    # The link to share opens the public verification page.
    journey.verification_url = card.get_by_label("Verification link to share").input_value()
    assert "/certificates/verify/" in journey.verification_url, journey.verification_url
    page.goto(journey.verification_url)
    expect_verification(page, "Valid", holder=name)
    assert_accessible(page, f"{prefix}-verification-valid")
    screenshot(page, f"{prefix}-08-verification")
    return journey


def expect_verification(page, status, *, holder):
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate check")
    expect(page.get_by_role("status")).to_contain_text(status)
    details = main(page).locator("dl.verification__details")
    expect(details).to_contain_text(holder)
    expect(details).to_contain_text(CREDENTIAL)


def recorded_learner(live_site, email, module_slug):
    """What the site recorded for a learner: attempts at one module, agreement, certificates."""
    return shell_json(
        live_site,
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "from peerpath.training.models import Attestation, CheckAttempt, Enrolment, ModuleProgress\n"
        "from peerpath.certificates.models import Certificate\n"
        f"user = get_user_model().objects.get(email={email!r})\n"
        "attempts = list(CheckAttempt.objects.filter(user=user, module__slug="
        f"{module_slug!r}).order_by('number').values_list('score', 'passed'))\n"
        "print(json.dumps({\n"
        "  'attempts': attempts,\n"
        "  'completed_modules': ModuleProgress.objects.filter(user=user,"
        " completed_at__isnull=False).count(),\n"
        "  'enrolment_completed': Enrolment.objects.get(user=user).completed_at is not None,\n"
        "  'attestations': Attestation.objects.filter(user=user).count(),\n"
        "  'certificates': [[c.holder_name, c.status, c.display_code] for c in"
        " Certificate.objects.with_status().filter(holder=user)],\n"
        "}))",
    )


# --- the Wagtail admin ------------------------------------------------------------------------


def admin_log_in(page, username, password=DEMO_PASSWORD):
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


class AutosaveWatch:
    """Counts the admin editor's background saves (Wagtail autosaves a page every 500 ms).

    `settle()` waits until none is in flight and none has started for `quiet` seconds: what an
    editor does by reading their work over before choosing Publish.
    """

    def __init__(self, page):
        self.page = page
        self.pending = 0
        self.last = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    @staticmethod
    def _is_save(request):
        return request.method == "POST" and "/admin/pages/" in request.url

    def _started(self, request):
        if self._is_save(request):
            self.pending += 1
            self.last = time.monotonic()

    def _ended(self, request):
        if self._is_save(request):
            self.pending -= 1
            self.last = time.monotonic()

    def settle(self, quiet=1.5, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pending <= 0 and time.monotonic() - self.last >= quiet:
                return
            self.page.wait_for_timeout(200)
        raise AssertionError("the editor's autosave never went quiet")


def shell_json(live_site, code):
    """Run `code` (which prints one JSON document last) against the live site's database."""
    return json.loads(live_site.shell(code).splitlines()[-1])


# --- sessions: finding a group, booking, the waiting list, the roster -------------------------


def wait_for_mail(live_site, address, subject_contains, timeout=15):
    """The latest e-mail to `address` whose subject contains `subject_contains`, waiting for it
    to arrive (messages are sent once the booking is committed)."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(inbox(live_site, address)):
            if subject_contains in message.get("Subject", ""):
                return message
        if time.monotonic() > deadline:
            subjects = [m.get("Subject") for m in inbox(live_site, address)]
            raise AssertionError(f"no “{subject_contains}” e-mail reached {address}: {subjects}")
        time.sleep(0.2)


def calendar_attachment(message):
    """The `.ics` file attached to `message`, as bytes (AssertionError if there is none)."""
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            content = part.get_content()
            return content.encode() if isinstance(content, str) else content
    raise AssertionError(f"no calendar file attached to “{message.get('Subject')}”")


def book_session(page, first_name, address, button="Book a place"):
    """On a session's page: give a first name and an e-mail address and press `button`; ends on
    the booking's own page."""
    form = main(page).get_by_role("region", name=button)
    form.get_by_label("First name or nickname").fill(first_name)
    form.get_by_label("E-mail address").fill(address)
    form.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")


def link_in(text, pattern):
    """The first link in an e-mail's `text` matching the regular expression `pattern`."""
    found = re.search(pattern, text)
    assert found, f"no link matching {pattern} in:\n{text}"
    return found.group(0)
