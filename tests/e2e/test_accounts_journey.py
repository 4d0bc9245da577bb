"""A newcomer signs up, finds their profile, logs out and back in — in a real browser."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.journeys import fill_sign_up_form, log_in_after_sign_up


def sign_up(page, name, email, password):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    fill_sign_up_form(page, name, email, password)
    log_in_after_sign_up(page, email, password)


def test_sign_up_log_out_and_log_in_again(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "home")
    screenshot(page, "accounts-01-home")

    page.get_by_role("link", name="Sign up").click()
    assert_accessible(page, "sign-up")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page, "sign-up-errors")
    screenshot(page, "accounts-02-sign-up-errors")

    sign_up(page, "Robin Ashe", "robin@example.org", "a-long-unusual-passphrase")

    page.get_by_role("link", name="Robin Ashe").click()
    expect(page.get_by_label("Name on certificates")).to_have_value("Robin Ashe")
    email_section = page.get_by_role("region", name="E-mail address")
    expect(email_section).to_contain_text("Not confirmed yet")
    expect(email_section.get_by_role("button", name="Send the link again")).to_be_visible()
    assert_accessible(page, "profile")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail address").fill("ROBIN@example.org")
    page.get_by_label("Password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Robin Ashe")).to_be_visible()


def test_error_page_is_accessible_and_in_site_design(page):
    page.goto("/no/such/page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("help", re.I))).to_be_visible()
    assert_accessible(page, "404")
    screenshot(page, "accounts-03-not-found")


def test_sign_up_on_a_phone(phone_page):
    sign_up(phone_page, "Kai Moreno", "kai@example.org", "another-unusual-passphrase")
    assert_accessible(phone_page, "home-phone")
    screenshot(phone_page, "accounts-04-phone-home")
