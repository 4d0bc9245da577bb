"""The facilitator takes their certificate elsewhere as an Open Badges 3.0 credential; an
administrator checks the file: valid, then revoked once the certificate is revoked. The same file,
unchanged, tells the truth both times, because its status is read live from the status list."""

import re
import urllib.parse

from playwright.sync_api import expect

from tests.e2e.conftest import _new_page, assert_accessible, screenshot
from tests.e2e.journeys import CREDENTIAL, admin_log_in, log_in, shell_json
from tests.e2e.test_facilitator_journey import FACILITATOR, HOLDER, REASON, revoke_in_admin


def my_certificate(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My training").click()
    return (
        page.get_by_role("region", name="My certificates")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=CREDENTIAL, exact=True))
    )


def check_in_admin(admin, credential_path):
    menu = admin.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="Certification").click()
    menu.get_by_role("link", name="Check a credential").click()
    admin_main = admin.get_by_role("main")
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Check a credential")
    admin_main.get_by_label("Or upload it").set_input_files(credential_path)
    admin_main.get_by_label("Holder's e-mail address (optional)").fill(FACILITATOR)
    admin_main.get_by_role("button", name=re.compile(r"^Check")).click()
    return answer_of(admin)


def answer_of(page):
    """The check's answer (the admin's own messages are a status region too)."""
    return (
        page.get_by_role("main")
        .get_by_role("status")
        .filter(has=page.locator("#credential-check-headline"))
    )


def test_facilitator_downloads_a_credential_that_an_administrator_checks(
    page, browser, live_site, tmp_path
):
    log_in(page, FACILITATOR)
    card = my_certificate(page)
    card.get_by_text("Use your certificate elsewhere").click()
    assert_accessible(page, "open-badges-my-training")
    screenshot(page, "open-badges-01-my-training")

    # LinkedIn's add-certification link carries the certificate's own details.
    linkedin = card.get_by_role("link", name=re.compile("Add to LinkedIn profile"))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(linkedin.get_attribute("href")).query)
    assert query["name"] == [CREDENTIAL]
    assert query["certUrl"][0].startswith(live_site.url + "/certificates/verify/")

    with page.expect_download() as download:
        card.get_by_role("link", name="Download credential (.jwt)").click()
    credential = tmp_path / download.value.suggested_filename
    download.value.save_as(credential)
    assert credential.suffix == ".jwt"
    token = credential.read_text()
    assert token.count(".") == 2 and FACILITATOR not in token

    with page.expect_download() as download:
        card.get_by_role("link", name="Download badge image (PNG)").click()
    assert download.value.suggested_filename.endswith(".png")

    context, admin = _new_page(browser, live_site, {"width": 1280, "height": 900})
    try:
        admin_log_in(admin, "admin@peerpath.example")
        answer = check_in_admin(admin, credential)
        expect(answer).to_contain_text("Valid")
        expect(answer).not_to_contain_text("Revoked")
        expect(admin.get_by_role("main")).to_contain_text("Matches the address given")
        assert_accessible(admin, "open-badges-admin-check-valid")
        screenshot(admin, "open-badges-02-admin-check-valid")

        # Another administrator revokes the certificate meanwhile.
        other_context, other_admin = _new_page(browser, live_site, {"width": 1280, "height": 900})
        try:
            revoke_in_admin(other_admin, REASON)
        finally:
            other_context.close()

        answer = check_in_admin(admin, credential)
        expect(answer).to_contain_text("Revoked")
        screenshot(admin, "open-badges-03-admin-check-revoked")
    finally:
        context.close()

    # Anyone may check the same file on the public form, without an account.
    page.goto("/certificates/verify/")
    page.get_by_role("link", name="Check a digital credential").click()
    page.get_by_label("Paste the credential").fill(token)
    page.get_by_role("button", name=re.compile(r"^Check")).click()
    expect(answer_of(page)).to_contain_text("Revoked")
    expect(page.get_by_role("main")).not_to_contain_text(REASON)
    assert_accessible(page, "open-badges-public-check-revoked")

    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.certificates.models import Certificate\n"
        f"c = Certificate.objects.with_status().get(holder__email={FACILITATOR!r})\n"
        "print(json.dumps([c.status, c.holder_name]))",
    )
    assert recorded == ["revoked", HOLDER], recorded
