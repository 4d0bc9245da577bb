import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from peerpath.accounts.models import Consent, Profile
from tests.factories import DEFAULT_PASSWORD

User = get_user_model()

SIGNUP = {
    "certificate_name": "Jordan  Lee ",
    "email": "Jordan.Lee@Example.org",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def site(home_page):
    return home_page


def test_sign_up_creates_account_and_profile_then_asks_to_log_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get()
    assert user.email == "jordan.lee@example.org"
    assert user.username == "jordan.lee@example.org"
    assert Profile.objects.get(user=user).certificate_name == "Jordan Lee"
    assert list(Consent.objects.filter(user=user).values_list("notice_version", flat=True)) == [1]
    assert "_auth_user_id" not in client.session
    assert client.login(username="jordan.lee@example.org", password=SIGNUP["password1"])


def test_sign_up_page_has_labelled_button(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    assert '<button type="submit">Sign up</button>' in html
    assert '<label for="id_email">' in html


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"email": "not-an-email"}, "email"),
        ({"password2": "something-else-entirely"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"certificate_name": "   "}, "certificate_name"),
        ({"certificate_name": "x" * 500}, "certificate_name"),
        ({"email": "a" * 300 + "@example.org"}, "email"),
        ({"consent": ""}, "consent"),
    ],
)
def test_sign_up_with_bad_input_shows_errors_and_creates_nothing(client, changes, field):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_missing_fields_and_junk_is_a_form_error(client):
    response = client.post(reverse("accounts:signup"), {"junk": "x" * 10000})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"email", "password1", "certificate_name"}


def test_log_in_with_email_in_any_case(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.email.upper(), "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_log_in_with_wrong_password_is_a_form_error(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "There is a problem" in response.content.decode()


def test_log_in_ignores_an_offsite_next_url(client, user):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": user.email, "password": DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_log_out_needs_post(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_profile_changes_certificate_name(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"certificate_name": "Dr  Pat Quinn"})
    assert response.status_code == 302
    assert Profile.objects.get(user=user).certificate_name == "Dr Pat Quinn"


@pytest.mark.parametrize("value", ["", "   ", "y" * 121])
def test_profile_with_bad_name_is_a_form_error_and_changes_nothing(client, user, value):
    before = Profile.objects.get(user=user).certificate_name
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"certificate_name": value})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Profile.objects.get(user=user).certificate_name == before


def test_profile_is_created_for_users_without_one(client, user):
    Profile.objects.filter(user=user).delete()
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("accounts:profile"), {"certificate_name": "New Name"})
    assert Profile.objects.get(user=user).certificate_name == "New Name"


def test_password_reset_sends_a_working_link(client, user):
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    assert client.login(username=user.email, password="another-long-passphrase")


def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_sign_up_records_consent_to_the_current_privacy_notice_version(client):
    from wagtail.models import Site

    from peerpath.models import PrivacyNotice

    notice = PrivacyNotice.for_site(Site.objects.get(is_default_site=True))
    notice.save()
    notice.text = "<p>We changed what we store.</p>"
    notice.save()
    assert notice.version == 2
    client.post(reverse("accounts:signup"), SIGNUP)
    assert Consent.objects.get().notice_version == 2


def test_privacy_notice_page_is_public_and_linked_from_every_page(client):
    response = client.get(reverse("accounts:privacy"))
    assert response.status_code == 200
    assert "What we store" in response.content.decode()
    assert reverse("accounts:privacy") in client.get("/").content.decode()


def test_repeated_failed_logins_lock_the_account_with_429(client, user, settings):
    settings.PEERPATH_LOGIN_THROTTLE = {"ACCOUNT_FAILURES": 3, "ADDRESS_FAILURES": 100}
    from django.core.cache import cache

    cache.clear()
    for _ in range(3):
        response = client.post(reverse("accounts:login"), {"username": user.email, "password": "x"})
        assert response.status_code == 200
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_from_one_address_lock_every_account_from_it(
    client, user, other_user, settings
):
    settings.PEERPATH_LOGIN_THROTTLE = {"ACCOUNT_FAILURES": 100, "ADDRESS_FAILURES": 2}
    from django.core.cache import cache

    cache.clear()
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": other_user.email, "password": "x"})
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    cache.clear()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


def test_public_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_site_pages_have_no_inline_scripts_or_styles(client, user):
    import re

    client.force_login(user)
    for url in ["/", reverse("accounts:profile"), reverse("accounts:privacy"), "/missing/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url


def test_document_downloads_are_never_cached_by_shared_caches(client):
    response = client.get("/documents/999999/missing.pdf")
    assert response["Cache-Control"] == "private, no-store"
