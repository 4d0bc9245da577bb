"""Signing up and resetting a password never tell a stranger whether an address is registered;
the real news goes by e-mail, and e-mails cannot be sent at will."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_tasks.signals import task_enqueued

from tests.factories import DEFAULT_PASSWORD, UserFactory

SIGNUP = {
    "certificate_name": "Jordan Lee",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
    "consent": "on",
}
REGISTERED = "jordan.lee@example.org"


@pytest.fixture(autouse=True)
def site(home_page):
    cache.clear()
    yield home_page
    cache.clear()


@pytest.fixture
def owner(db):
    return UserFactory(email=REGISTERED, username=REGISTERED)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def enqueued():
    """The arguments of every background job enqueued while the test runs."""
    jobs = []

    def record(sender, task_result, **kwargs):
        jobs.append((task_result.task.name, list(task_result.args), task_result.kwargs))

    task_enqueued.connect(record)
    yield jobs
    task_enqueued.disconnect(record)


def sign_up(client, email, next_url="/training/"):
    url = reverse("accounts:signup") + f"?next={next_url}"
    response = client.post(url, {**SIGNUP, "email": email, "next": next_url})
    return response, [str(message) for message in get_messages(response.wsgi_request)]


def test_signing_up_with_a_registered_address_gets_the_same_answer_as_a_new_one(
    owner, run_on_commit
):
    first, second = Client(), Client()
    with run_on_commit():
        new, new_messages = sign_up(first, "someone.new@example.org")
        taken, taken_messages = sign_up(second, REGISTERED.upper())

    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert new["Location"] == reverse("accounts:login") + "?next=%2Ftraining%2F"
    assert new_messages == taken_messages and "We have sent an e-mail" in new_messages[0]
    assert "_auth_user_id" not in first.session and "_auth_user_id" not in second.session
    owner.refresh_from_db()
    assert owner.check_password(DEFAULT_PASSWORD), "the existing account is left alone"


def test_the_owner_of_a_registered_address_hears_of_the_attempt_by_e_mail(
    client, owner, run_on_commit
):
    with run_on_commit():
        sign_up(client, REGISTERED)

    [message] = mail.outbox
    assert message.to == [REGISTERED]
    assert message.subject == "Someone tried to sign up to PeerPath with your e-mail address"
    assert "http://testserver/accounts/login/" in message.body
    assert "http://testserver/accounts/password-reset/" in message.body
    assert "/confirm-email/" not in message.body


def test_sign_up_attempt_e_mails_to_one_account_are_limited(client, owner, settings):
    settings.PEERPATH_LOGIN_THROTTLE = {"SIGNUP_NOTICES_PER_ACCOUNT": 2}
    for _ in range(4):
        sign_up(client, REGISTERED)
    assert len(mail.outbox) == 2


def test_background_jobs_carry_account_ids_never_e_mail_addresses(
    client, owner, enqueued, run_on_commit
):
    with run_on_commit():
        sign_up(client, "someone.new@example.org")
        sign_up(client, REGISTERED)
        client.post(reverse("accounts:password_reset"), {"email": REGISTERED})

    assert len(enqueued) == 3 and len(mail.outbox) == 3
    for name, args, kwargs in enqueued:
        assert "@" not in json.dumps([args, kwargs]), name
        assert all(isinstance(arg, int) for arg in args), name


def reset_request(client, email, client_address="203.0.113.5"):
    return client.post(
        reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=client_address
    )


def test_password_reset_e_mails_to_one_address_are_limited_and_the_answer_never_changes(
    client, owner
):
    responses = [reset_request(client, REGISTERED, f"203.0.113.{n}") for n in range(5)]

    assert len(mail.outbox) == 3
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("accounts:password_reset_done"))
    }


def test_password_reset_requests_from_one_client_are_limited(client, settings):
    settings.PEERPATH_LOGIN_THROTTLE = {"RESETS_PER_CLIENT": 2}
    people = [UserFactory() for _ in range(3)]
    for person in people:
        assert reset_request(client, person.email).status_code == 302
    assert [message.to for message in mail.outbox] == [[people[0].email], [people[1].email]]
    reset_request(client, people[2].email, client_address="198.51.100.7")
    assert mail.outbox[-1].to == [people[2].email]


def reset_link_path(message):
    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    return link.split("testserver", 1)[1]


def test_a_completed_password_reset_lifts_the_log_in_lock(client, owner, settings):
    settings.PEERPATH_LOGIN_THROTTLE = {"ACCOUNT_FAILURES": 3}
    login = reverse("accounts:login")
    for _ in range(3):
        client.post(login, {"username": REGISTERED, "password": "wrong"})
    assert client.post(login, {"username": REGISTERED, "password": "x"}).status_code == 429

    reset_request(client, REGISTERED)
    form_page = client.get(reset_link_path(mail.outbox[0]), follow=True)
    new_password = {
        "new_password1": "a-brand-new-passphrase",
        "new_password2": "a-brand-new-passphrase",
    }
    assert client.post(form_page.redirect_chain[-1][0], new_password).status_code == 302

    response = client.post(login, {"username": REGISTERED, "password": "a-brand-new-passphrase"})
    assert response.status_code == 302
