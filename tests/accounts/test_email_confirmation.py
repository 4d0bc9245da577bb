"""Confirming an e-mail address, and the certificate gate that depends on it."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from peerpath.accounts import links, verification
from peerpath.accounts.models import Profile
from peerpath.certificates import issuing
from peerpath.certificates.models import Certificate
from peerpath.training import progress
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.training.factories import build_index, build_module, build_programme

SIGNUP = {
    "certificate_name": "Jordan Lee",
    "email": "jordan.lee@example.org",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def site(home_page):
    cache.clear()
    yield home_page
    cache.clear()


@pytest.fixture
def unconfirmed(db):
    return UserFactory(email_confirmed=False)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the code under test leaves for after the commit (sending, issuing)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def link_in(message):
    return re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body).group(1)


def completed_programme(home_page, user):
    """A one-module programme the user has completed (module done, code of conduct agreed)."""
    programme = build_programme(build_index(home_page))
    module = build_module(programme)
    progress.enrol(user, programme)
    progress.mark_module_complete(user, module)
    progress.agree_to_code_of_conduct(user, programme, programme.current_code_of_conduct.pk)
    return programme


# --- sign-up and the e-mail ---------------------------------------------------------------------


def test_sign_up_sends_a_confirmation_email_in_plain_text_and_html(client, run_on_commit):
    with run_on_commit():
        client.post(reverse("accounts:signup"), SIGNUP)
    [message] = mail.outbox
    assert message.to == ["jordan.lee@example.org"]
    assert message.subject == "Confirm your e-mail address for PeerPath"
    assert "Hello Jordan Lee," in message.body
    assert "The link works for 7 days" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert link_in(message) in html and "Confirm my e-mail address" in html
    assert not verification.has_confirmed_email(Profile.objects.get().user)


def test_opening_the_link_asks_and_confirming_records_the_address_and_time(client, unconfirmed):
    token = links.make_confirmation_token(unconfirmed.pk, unconfirmed.email)
    url = reverse("accounts:confirm_email", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm my e-mail address" in page.content.decode()
    assert not verification.has_confirmed_email(unconfirmed), "GET alone confirms nothing"

    response = client.post(url)
    assert response.status_code == 302
    profile = Profile.objects.get(user=unconfirmed)
    assert profile.verified_email == unconfirmed.email
    assert profile.email_verified_at is not None
    assert verification.has_confirmed_email(unconfirmed)


def test_the_link_in_the_email_works_end_to_end(client, run_on_commit):
    with run_on_commit():
        client.post(reverse("accounts:signup"), SIGNUP)
    client.post(link_in(mail.outbox[0]))
    client.post(
        reverse("accounts:login"),
        {"username": SIGNUP["email"], "password": SIGNUP["password1"]},
    )
    client.get(reverse("accounts:profile"))
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Confirmed" in html and "Send the link again" not in html


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a" * 300, "eyJ1IjoxfQ:1abc:forged", "%00", "..:..:.."],
)
def test_a_bad_link_says_so_and_changes_nothing(client, unconfirmed, token):
    response = client.post(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not verification.has_confirmed_email(unconfirmed)


def test_an_expired_link_says_so_and_changes_nothing(client, unconfirmed):
    eight_days_ago = time.time() - 8 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        token = links.make_confirmation_token(unconfirmed.pk, unconfirmed.email)
    response = client.post(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert not verification.has_confirmed_email(unconfirmed)


def test_a_used_link_says_the_address_is_already_confirmed(client, user):
    before = Profile.objects.get(user=user).email_verified_at
    url = reverse(
        "accounts:confirm_email", args=[links.make_confirmation_token(user.pk, user.email)]
    )
    response = client.post(url)
    assert response.status_code == 200
    assert "is already confirmed" in response.content.decode()
    assert Profile.objects.get(user=user).email_verified_at == before


def test_a_link_for_an_earlier_address_does_not_confirm_the_new_one(client, unconfirmed):
    token = links.make_confirmation_token(unconfirmed.pk, unconfirmed.email)
    unconfirmed.email = "new.address@example.org"
    unconfirmed.save()
    response = client.post(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "no longer the one on your account" in response.content.decode()
    assert not verification.has_confirmed_email(unconfirmed)


def test_a_link_for_an_erased_account_does_not_work(client, unconfirmed):
    from peerpath.accounts.privacy import erase_account

    token = links.make_confirmation_token(unconfirmed.pk, unconfirmed.email)
    erase_account(unconfirmed)
    response = client.post(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400


# --- the profile ----------------------------------------------------------------------------------


def test_profile_shows_an_unconfirmed_address_and_sends_the_link_again(
    client, unconfirmed, run_on_commit
):
    client.force_login(unconfirmed)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Not confirmed yet" in html and "Send the link again" in html
    with run_on_commit():
        response = client.post(reverse("accounts:send_confirmation"))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[unconfirmed.email]]


def test_sending_the_link_again_is_throttled(client, unconfirmed, run_on_commit):
    client.force_login(unconfirmed)
    with run_on_commit():
        client.post(reverse("accounts:send_confirmation"))
        response = client.post(reverse("accounts:send_confirmation"))
    assert response.status_code == 429
    assert "We sent you a link very recently" in response.content.decode()
    assert len(mail.outbox) == 1


def test_links_per_day_are_limited(client, unconfirmed, settings, run_on_commit):
    settings.PEERPATH_EMAIL_CONFIRMATION = {"RESEND_INTERVAL_SECONDS": 1, "LINKS_PER_DAY": 2}
    client.force_login(unconfirmed)
    statuses = []
    with run_on_commit():
        for _ in range(3):
            cache.delete(verification._key("recent", unconfirmed.pk))
            statuses.append(client.post(reverse("accounts:send_confirmation")).status_code)
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_send_the_link_again_needs_post_and_login(client, unconfirmed):
    assert client.post(reverse("accounts:send_confirmation")).status_code == 302
    client.force_login(unconfirmed)
    assert client.get(reverse("accounts:send_confirmation")).status_code == 405
    assert mail.outbox == []


def test_changing_the_address_makes_it_unconfirmed_and_sends_a_link_to_it(
    client, user, run_on_commit
):
    client.force_login(user)
    with run_on_commit():
        response = client.post(
            reverse("accounts:change_email"),
            {"email": "New.Address@Example.org", "password": DEFAULT_PASSWORD},
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == user.username == "new.address@example.org"
    assert not verification.has_confirmed_email(user)
    assert [m.to for m in mail.outbox] == [["new.address@example.org"]]
    client.post(link_in(mail.outbox[0]))
    assert verification.has_confirmed_email(user)


def test_changing_the_address_in_the_admin_also_unconfirms_it(user):
    user.email = "changed.by.staff@example.org"
    user.save()
    assert not verification.has_confirmed_email(user)


@pytest.mark.parametrize(
    "data, error",
    [
        ({"email": "other@example.org", "password": "wrong"}, "That is not your password"),
        ({"email": "not-an-address", "password": DEFAULT_PASSWORD}, "Enter a valid email"),
        ({"email": "TAKEN@example.org", "password": DEFAULT_PASSWORD}, "Another account"),
        ({"email": "", "password": ""}, "This field is required"),
    ],
)
def test_changing_the_address_with_bad_input_changes_nothing(client, user, data, error):
    UserFactory(email="taken@example.org")
    client.force_login(user)
    before = user.email
    response = client.post(reverse("accounts:change_email"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    user.refresh_from_db()
    assert user.email == before and verification.has_confirmed_email(user)
    assert mail.outbox == []


def test_changing_to_the_same_address_is_a_form_error(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:change_email"),
        {"email": user.email.upper(), "password": DEFAULT_PASSWORD},
    )
    assert "already the address on your account" in response.content.decode()


# --- the certificate gate -----------------------------------------------------------------------


def test_no_certificate_is_issued_to_an_unconfirmed_address(home_page, unconfirmed, run_on_commit):
    with run_on_commit():
        completed_programme(home_page, unconfirmed)
    assert not Certificate.objects.exists()


def test_confirming_issues_the_certificates_a_completion_earned(
    client, home_page, unconfirmed, run_on_commit
):
    with run_on_commit():
        programme = completed_programme(home_page, unconfirmed)
    token = links.make_confirmation_token(unconfirmed.pk, unconfirmed.email)
    before = timezone.now()
    with run_on_commit():
        client.post(reverse("accounts:confirm_email", args=[token]))
    certificate = Certificate.objects.get(holder=unconfirmed, programme=programme)
    assert certificate.issued_at >= before, "dated when it was issued, not at completion"
    with run_on_commit():
        assert verification.mark_confirmed(unconfirmed) is False
        issuing.issue_pending(unconfirmed)
    assert Certificate.objects.count() == 1


def test_learner_pages_ask_for_confirmation_until_it_is_done(client, home_page, unconfirmed):
    programme = completed_programme(home_page, unconfirmed)
    client.force_login(unconfirmed)
    message = "Confirm your e-mail address to receive your certificate"
    assert message in client.get(programme.url).content.decode()
    assert message in client.get(reverse("training:my_training")).content.decode()
    verification.mark_confirmed(unconfirmed)
    assert message not in client.get(programme.url).content.decode()


def test_confirmed_learners_are_not_asked(client, home_page, user):
    programme = completed_programme(home_page, user)
    client.force_login(user)
    assert "Confirm your e-mail address" not in client.get(programme.url).content.decode()


@pytest.mark.parametrize("action", [issuing.renew, issuing.reissue])
def test_staff_cannot_renew_or_reissue_to_an_unconfirmed_address(
    home_page, staff_user, action, django_capture_on_commit_callbacks
):
    from tests.certificates.factories import make_programme

    holder = UserFactory()
    programme = make_programme(home_page)
    certificate, _created = issuing.issue_for_completion(holder, programme)
    holder.email = "unconfirmed.new@example.org"
    holder.save()
    with pytest.raises(issuing.IssuingError, match="not confirmed their e-mail address"):
        action(certificate, by=staff_user)
    assert Certificate.objects.count() == 1


def test_demo_accounts_are_confirmed(db):
    from home.demo import ensure_user

    assert verification.has_confirmed_email(ensure_user("learner"))
