import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.models import Profile
from tests.factories import DEFAULT_PASSWORD, UserFactory

User = get_user_model()

SIGNUP = {
    "certificate_name": "Jordan  Lee ",
    "email": "Jordan.Lee@Example.org",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


@pytest.fixture(autouse=True)
def site(home_page):
    return home_page


def test_sign_up_creates_account_profile_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "jordan.lee@example.org"
    assert user.username == "jordan.lee@example.org"
    assert Profile.objects.get(user=user).certificate_name == "Jordan Lee"
    assert client.get(reverse("accounts:profile")).status_code == 200


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
    ],
)
def test_sign_up_with_bad_input_shows_errors_and_creates_nothing(client, changes, field):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_existing_email_in_other_case_is_refused(client):
    UserFactory(email="jordan.lee@example.org", username="jordan.lee@example.org")
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


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
