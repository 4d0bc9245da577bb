"""Anyone can check a certificate: the Verify form, and the page for each status it can have."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.journeys import expect_verification, shell_json

DEMO_HOLDERS = {
    "valid": "Jamie Okafor",
    "revoked": "Riley Hart",
    "expired": "Morgan Ellis",
}


def code_of(live_site, holder):
    return shell_json(
        live_site,
        "import json\n"
        "from peerpath.certificates.models import Certificate\n"
        f"print(json.dumps(Certificate.objects.get(holder_name={holder!r}).display_code))",
    )


def test_verify_form_leads_to_the_certificate(page, live_site):
    code = code_of(live_site, DEMO_HOLDERS["valid"])
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Verify a certificate"
    ).click()
    assert_accessible(page, "verify-form")
    # Codes are accepted in any case and without dashes.
    page.get_by_role("textbox").fill(code.replace("-", "").lower())
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(rf"/certificates/verify/{code}/$"))
    expect_verification(page, "Valid", holder=DEMO_HOLDERS["valid"])


@pytest.mark.parametrize(
    ("status", "shown"), [("valid", "Valid"), ("revoked", "Revoked"), ("expired", "Expired")]
)
def test_verification_page_for_each_status(page, live_site, status, shown):
    holder = DEMO_HOLDERS[status]
    page.goto(f"/certificates/verify/{code_of(live_site, holder)}/")
    expect_verification(page, shown, holder=holder)
    assert_accessible(page, f"verification-{status}")
    screenshot(page, f"verification-{status}")


def test_unknown_code_is_a_404_in_the_sites_design(page):
    response = page.goto("/certificates/verify/AAAA-BBBB-CCCC-DDDD/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "verification-unknown")
