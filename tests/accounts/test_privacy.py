import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail import hooks

from peerpath.accounts.models import AccountLogEntry, Consent, Profile, initials
from peerpath.accounts.privacy import erase_account
from tests.factories import DEFAULT_PASSWORD

User = get_user_model()


@pytest.fixture(autouse=True)
def site(home_page):
    return home_page


def download(client):
    response = client.post(reverse("accounts:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_my_data_needs_login_and_post_sends_a_zip(client, user):
    assert client.get(reverse("accounts:my_data")).status_code == 302
    client.force_login(user)
    assert "Download my data" in client.get(reverse("accounts:my_data")).content.decode()
    Consent.objects.create(user=user, notice_version=1)
    archive = download(client)
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == user.email
    assert data["account"]["certificate_name"] == Profile.objects.get(user=user).certificate_name
    assert data["account"]["privacy_consents"][0]["notice_version"] == 1


def test_export_includes_what_other_apps_contribute_through_the_hook(client, user):
    def contribute(u):
        return {"data": {"things": [u.pk]}, "files": [("certificates/a.pdf", b"%PDF-1.7")]}

    client.force_login(user)
    with hooks.register_temporarily("peerpath_export_personal_data", contribute):
        archive = download(client)
    assert json.loads(archive.read("data.json"))["things"] == [user.pk]
    assert archive.read("certificates/a.pdf") == b"%PDF-1.7"


def test_delete_account_page_explains_what_is_kept(client, user):
    client.force_login(user)
    html = client.get(reverse("accounts:delete_account")).content.decode()
    assert "What we keep, and why" in html
    assert "No longer held" in html


def test_delete_account_with_wrong_password_changes_nothing(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:delete_account"), {"password": "wrong"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.email


@pytest.mark.parametrize(
    "url, data",
    [
        ("accounts:delete_account", {}),
        ("accounts:change_email", {"email": "new-address@example.org"}),
    ],
)
def test_guessing_the_password_while_signed_in_is_throttled(client, user, settings, url, data):
    """A borrowed session cannot be used to guess the password: wrong answers count against the
    same per-account limit as logging in, and once it is reached even the right one waits."""
    from django.core.cache import cache

    settings.PEERPATH_LOGIN_THROTTLE = {"ACCOUNT_FAILURES": 3, "ADDRESS_FAILURES": 100}
    cache.clear()
    client.force_login(user)
    for _ in range(3):
        response = client.post(reverse(url), {**data, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse(url), {**data, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.email != "new-address@example.org"
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429


def test_delete_account_erases_personal_data_and_logs_out(client, user):
    email = user.email
    erased = []
    client.force_login(user)
    with hooks.register_temporarily(
        "peerpath_erase_personal_data", lambda u, by: erased.append(u.pk)
    ):
        response = client.post(reverse("accounts:delete_account"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert erased == [user.pk]
    user.refresh_from_db()
    assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert user.username == f"erased-{user.pk}"
    assert not user.is_active and not user.has_usable_password()
    assert not Profile.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    assert not client.login(username=email, password=DEFAULT_PASSWORD)


def test_erasure_by_an_admin_is_audited(user, staff_user):
    erase_account(user, erased_by=staff_user, reason="Learner asked by e-mail on 2026-11-20")
    entry = AccountLogEntry.objects.get(action="peerpath.account_erased")
    assert entry.user == staff_user
    assert entry.data["reason"].startswith("Learner asked")


def test_get_on_delete_never_deletes(client, user):
    client.force_login(user)
    client.get(reverse("accounts:delete_account") + f"?password={DEFAULT_PASSWORD}")
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.parametrize(
    "name, expected",
    [("Jordan Lee", "J. L."), ("  ada  ", "A."), ("Mary-Jane van Dyke", "M. V. D.")],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_profile_saves_initials_preference(client, user):
    client.force_login(user)
    client.post(
        reverse("accounts:profile"), {"certificate_name": "Pat Quinn", "show_initials_only": "on"}
    )
    assert Profile.objects.get(user=user).show_initials_only
