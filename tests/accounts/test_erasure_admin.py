"""Staff erase a learner's personal data on request, in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from peerpath.accounts.models import AccountLogEntry, Profile
from peerpath.accounts.privacy import is_erased
from tests.factories import UserFactory

REASON = "Learner asked by e-mail on 20 November"


@pytest.fixture(autouse=True)
def site(home_page):
    return home_page


@pytest.fixture
def eraser(db):
    """Staff with admin access and the erasure permission, but not a superuser."""
    group = Group.objects.create(name="Data protection")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="erase_personal_data"),
    )
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def learner(db):
    return UserFactory(email="quinn.harlow@example.org", first_name="Quinn", last_name="Harlow")


def erase_url(person):
    return reverse("accounts_erase", args=[person.pk])


def test_search_finds_the_learner_and_links_to_erasure(client, eraser, learner):
    client.force_login(eraser)
    response = client.get(reverse("accounts_erasure"), {"q": "harlow"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "quinn.harlow@example.org" in html
    assert erase_url(learner) in html


def test_the_page_shows_what_is_erased_and_kept_in_the_learners_own_words(client, eraser, learner):
    client.force_login(eraser)
    admin_html = client.get(erase_url(learner)).content.decode()
    client.force_login(learner)
    learner_html = client.get(reverse("accounts:delete_account")).content.decode()
    for text in ("What we erase", "What we keep, and why", "No longer held", "training figures"):
        assert text in admin_html and text in learner_html


def test_erasing_needs_a_reason_and_confirmation(client, eraser, learner):
    client.force_login(eraser)
    response = client.post(erase_url(learner), {"reason": "   ", "confirm": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"reason", "confirm"}
    learner.refresh_from_db()
    assert not is_erased(learner) and learner.email


def test_erasing_calls_erase_account_and_records_who_when_and_why(client, eraser, learner):
    client.force_login(eraser)
    response = client.post(erase_url(learner), {"reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert is_erased(learner)
    assert (learner.email, learner.first_name, learner.last_name) == ("", "", "")
    assert not Profile.objects.filter(user=learner).exists()
    entry = AccountLogEntry.objects.get(action="peerpath.account_erased")
    assert entry.user == eraser
    assert entry.data["reason"] == REASON
    assert entry.timestamp is not None
    assert "Harlow" not in entry.label


@pytest.mark.parametrize(
    "target, message",
    [
        ("self", "cannot erase your own account here"),
        ("superuser", "superusers cannot be erased here"),
        ("staff", "only a superuser can erase it"),
    ],
)
def test_refuses_to_erase_yourself_superusers_and_staff_with_a_clear_message(
    client, eraser, target, message
):
    person = {
        "self": eraser,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "staff": UserFactory(is_staff=True),
    }[target]
    client.force_login(eraser)
    page = client.get(erase_url(person))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert '<form method="post"' not in page.content.decode()
    response = client.post(erase_url(person), {"reason": REASON, "confirm": "on"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert not is_erased(person)
    assert not AccountLogEntry.objects.filter(action="peerpath.account_erased").exists()


def test_a_superuser_may_erase_a_staff_account(client, staff_user):
    colleague = UserFactory(is_staff=True)
    client.force_login(staff_user)
    response = client.post(erase_url(colleague), {"reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert is_erased(colleague) and not colleague.is_staff


def test_an_erased_account_cannot_be_erased_again(client, eraser, learner):
    client.force_login(eraser)
    client.post(erase_url(learner), {"reason": REASON, "confirm": "on"})
    response = client.post(erase_url(learner), {"reason": REASON, "confirm": "on"})
    assert response.status_code == 403
    assert "already been erased" in response.content.decode()
    assert AccountLogEntry.objects.filter(action="peerpath.account_erased").count() == 1


def test_staff_without_the_permission_are_refused(client, learner):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    # Wagtail turns PermissionDenied into a redirect to the dashboard with an explanation.
    response = client.get(reverse("accounts_erasure"))
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    response = client.post(erase_url(learner), {"reason": REASON, "confirm": "on"})
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    learner.refresh_from_db()
    assert not is_erased(learner)


def test_learners_and_anonymous_visitors_cannot_reach_it(client, learner, other_user):
    assert client.get(erase_url(learner)).status_code == 302
    client.force_login(other_user)
    assert client.get(erase_url(learner)).status_code == 302  # to the admin's log-in


def test_unknown_account_is_404(client, eraser):
    client.force_login(eraser)
    assert client.get(reverse("accounts_erase", args=[999999])).status_code == 404


def test_wagtail_user_listing_offers_erasure_to_those_allowed(client, eraser, learner):
    eraser.user_permissions.add(
        Permission.objects.get(codename="change_user"),
        Permission.objects.get(codename="view_user"),
    )
    client.force_login(eraser)
    html = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert erase_url(learner) in html
    assert erase_url(eraser) not in html


def test_the_settings_menu_shows_erasure_only_with_the_permission(client, eraser, staff_user):
    other_staff = UserFactory(is_staff=True)
    other_staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(eraser)
    assert reverse("accounts_erasure") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(other_staff)
    assert (
        reverse("accounts_erasure") not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
