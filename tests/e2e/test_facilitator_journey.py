"""A certified facilitator uses the facilitator-only materials until an administrator revokes
the certificate: from that moment the materials are closed and the certificate reads Revoked."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import _new_page, assert_accessible, screenshot
from tests.e2e.journeys import (
    CREDENTIAL,
    admin_log_in,
    expect_verification,
    log_in,
    main,
    shell_json,
)

FACILITATOR = "facilitator@peerpath.example"
HOLDER = "Jamie Okafor"
WORKSHOP = "Tuesday evening peer support group"
DOCUMENT = "Facilitator debrief guide"
REASON = "Breach of the code of conduct reported by Riverside on 20 November."


def open_workshop(page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Workshops and groups"
    ).click()
    main(page).get_by_role("link", name=WORKSHOP).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WORKSHOP)
    return page.get_by_role("region", name="For facilitators")


def revoke_in_admin(admin, reason):
    admin_log_in(admin, "admin@peerpath.example")
    menu = admin.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="Certification").click()
    menu.get_by_role("link", name="Certificates", exact=True).click()
    admin_main = admin.get_by_role("main")
    admin_main.get_by_role("textbox", name="Search term").fill(HOLDER)
    admin.keyboard.press("Enter")
    row = admin_main.get_by_role("row").filter(has_text=HOLDER)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Valid")
    row.get_by_role("link", name=re.compile(r"^PSGF-")).click()
    admin_main.get_by_role("link", name="Revoke").click()
    expect(admin_main.get_by_role("heading", level=1)).to_contain_text("Revoke certificate")
    admin_main.get_by_label("Reason").fill(reason)
    screenshot(admin, "facilitator-03-admin-revoke")
    admin_main.get_by_role("button", name="Revoke").click()
    expect(admin_main.get_by_role("status")).to_contain_text("revoked")


def test_revoked_certificate_closes_facilitator_materials_at_once(page, browser, live_site):
    log_in(page, FACILITATOR)
    facilitators = open_workshop(page)
    expect(facilitators.get_by_role("heading", name="Safety and crisis protocol")).to_be_visible()
    document_link = facilitators.get_by_role("link", name=DOCUMENT)
    expect(document_link).to_be_visible()
    expect(page.get_by_role("columnheader", name="Facilitator notes")).to_be_visible()
    assert_accessible(page, "facilitator-workshop")
    screenshot(page, "facilitator-01-materials")

    document_url = document_link.get_attribute("href")
    response = page.request.get(document_url)
    assert response.status == 200, response.status
    assert "debrief guide" in response.text()

    # The link to share, from My training, before anything happens.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My training").click()
    card = (
        page.get_by_role("region", name="My certificates")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=CREDENTIAL, exact=True))
    )
    verification_url = card.get_by_label("Verification link to share").input_value()
    page.goto(verification_url)
    expect_verification(page, "Valid", holder=HOLDER)
    screenshot(page, "facilitator-02-verification-valid")

    context, admin = _new_page(browser, live_site, {"width": 1280, "height": 900})
    try:
        revoke_in_admin(admin, REASON)
    finally:
        context.close()

    # The facilitator's very next request is refused.
    facilitators = open_workshop(page)
    expect(facilitators.get_by_role("link", name=DOCUMENT)).to_have_count(0)
    expect(facilitators).not_to_contain_text("Safety and crisis protocol")
    expect(facilitators).to_contain_text(f"For certified {CREDENTIAL}s")
    expect(page.get_by_role("columnheader", name="Facilitator notes")).to_have_count(0)
    assert_accessible(page, "facilitator-workshop-locked")
    screenshot(page, "facilitator-04-materials-locked")

    response = page.request.get(document_url)
    assert response.status == 403, response.status
    assert "debrief guide" not in response.text()
    page.goto(document_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Facilitators only")
    assert_accessible(page, "facilitator-document-refused")
    screenshot(page, "facilitator-05-document-refused")

    page.goto(verification_url)
    expect_verification(page, "Revoked", holder=HOLDER)
    expect(page.get_by_role("main")).not_to_contain_text(REASON)
    assert_accessible(page, "verification-revoked")
    screenshot(page, "facilitator-06-verification-revoked")

    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.certificates.models import Certificate\n"
        f"c = Certificate.objects.with_status().get(holder__email={FACILITATOR!r})\n"
        "print(json.dumps([c.status, c.revocation_reason, c.revoked_by.email]))",
    )
    assert recorded == ["revoked", REASON, "admin@peerpath.example"], recorded
