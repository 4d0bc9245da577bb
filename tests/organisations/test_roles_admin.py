"""The Staff roles screens: who may open them, giving a role by e-mail address, removing one
(never the last coordinator), and the record of each change in the organisation's history."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from peerpath.organisations import roles
from peerpath.organisations.roles import Role
from peerpath.organisations.setup import add_staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(organisation):
    user = UserFactory(email="coordinator@riverside.example", first_name="Cora", last_name="Ord")
    add_staff(organisation, user, Role.COORDINATOR)
    return user


@pytest.fixture
def other_coordinator(other_organisation):
    user = UserFactory(email="coordinator@northside.example", first_name="Nia", last_name="North")
    add_staff(other_organisation, user, Role.COORDINATOR)
    return user


@pytest.fixture
def safeguarding_lead(organisation):
    user = UserFactory(email="lead@riverside.example", first_name="Sage", last_name="Guard")
    add_staff(organisation, user, Role.SAFEGUARDING_LEAD)
    return user


def roles_url(organisation):
    return reverse("organisation_roles", args=[organisation.pk])


def remove_url(organisation, role, account):
    return reverse("organisation_role_remove", args=[organisation.pk, role, account.pk])


def holds(user, organisation, role):
    return roles.holders(organisation, role).filter(pk=user.pk).exists()


# --- Who may open them --------------------------------------------------------------------------


def test_a_coordinator_sees_each_role_its_description_and_holders(
    client, organisation, coordinator, editor, safeguarding_lead, other_coordinator
):
    client.force_login(coordinator)
    response = client.get(roles_url(organisation))
    assert response.status_code == 200
    html = response.content.decode()
    for role in Role:
        assert str(role.label) in html
        assert escape(str(roles.DESCRIPTIONS[role])) in html
    for holder in (coordinator, editor, safeguarding_lead):
        assert holder.email in html
    assert "Cora Ord" in html and "Sage Guard" in html
    assert other_coordinator.email not in html
    assert remove_url(organisation, Role.EDITOR, editor) in html


@pytest.mark.parametrize("who", ["other_coordinator", "editor", "safeguarding_lead", "user"])
def test_nobody_but_its_coordinators_and_superusers_sees_an_organisations_roles(
    client, request, organisation, coordinator, who
):
    client.force_login(request.getfixturevalue(who))
    for url in (roles_url(organisation), remove_url(organisation, Role.COORDINATOR, coordinator)):
        response = client.get(url)
        assert response.status_code in {302, 403, 404}, url
        assert coordinator.email not in response.content.decode()
    response = client.post(
        roles_url(organisation), {"email": "editor@northside.example", "role": "coordinator"}
    )
    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    assert client.post(remove_url(organisation, Role.COORDINATOR, coordinator)).status_code in {
        302,
        403,
        404,
    }
    assert holds(coordinator, organisation, Role.COORDINATOR)


def test_a_coordinator_of_another_organisation_gets_a_404(client, organisation, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(roles_url(organisation)).status_code == 404


def test_an_editor_or_safeguarding_lead_gets_a_404(client, organisation, editor, safeguarding_lead):
    for person in (editor, safeguarding_lead):
        client.force_login(person)
        assert client.get(roles_url(organisation)).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, organisation):
    for url in (roles_url(organisation), reverse("organisation_roles_index")):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_superuser_sees_every_organisations_roles(
    client, staff_user, organisation, other_organisation, other_coordinator
):
    client.force_login(staff_user)
    assert client.get(roles_url(organisation)).status_code == 200
    response = client.get(roles_url(other_organisation))
    assert other_coordinator.email in response.content.decode()
    index = client.get(reverse("organisation_roles_index")).content.decode()
    assert roles_url(organisation) in index and roles_url(other_organisation) in index


def test_an_unknown_organisation_or_role_is_404(client, staff_user, organisation, coordinator):
    client.force_login(staff_user)
    assert client.get(reverse("organisation_roles", args=[999999])).status_code == 404
    response = client.get(
        reverse("organisation_role_remove", args=[organisation.pk, "owner", coordinator.pk])
    )
    assert response.status_code == 404
    # Someone who does not hold the role cannot have it removed.
    assert client.get(remove_url(organisation, Role.EDITOR, coordinator)).status_code == 404


def test_the_index_takes_a_coordinator_of_one_organisation_straight_to_it(
    client, organisation, coordinator
):
    client.force_login(coordinator)
    response = client.get(reverse("organisation_roles_index"))
    assert response.status_code == 302 and response["Location"] == roles_url(organisation)


def test_the_index_lists_each_organisation_a_coordinator_coordinates(
    client, organisation, other_organisation, coordinator
):
    add_staff(other_organisation, coordinator, Role.COORDINATOR)
    client.force_login(coordinator)
    html = client.get(reverse("organisation_roles_index")).content.decode()
    assert roles_url(organisation) in html and roles_url(other_organisation) in html


def test_the_index_refuses_someone_who_coordinates_nothing(client, editor):
    client.force_login(editor)
    response = client.get(reverse("organisation_roles_index"), follow=True)
    assert "do not have permission" in response.content.decode() or response.status_code == 403


def test_the_people_menu_offers_staff_roles_to_coordinators_only(client, coordinator, editor):
    client.force_login(coordinator)
    assert (
        reverse("organisation_roles_index")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(editor)
    assert (
        reverse("organisation_roles_index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_the_organisations_listing_links_to_each_staff_roles_screen(
    client, staff_user, organisation
):
    client.force_login(staff_user)
    listing = reverse("wagtailsnippets_peerpath_organisations_organisation:list")
    assert roles_url(organisation) in client.get(listing).content.decode()


# --- Giving a role ---------------------------------------------------------------------------


def test_a_coordinator_gives_a_role_by_e_mail_address_and_it_is_recorded(
    client, organisation, coordinator
):
    newcomer = UserFactory(email="newcomer@example.org")
    client.force_login(coordinator)

    response = client.post(
        roles_url(organisation), {"email": " NEWCOMER@example.org ", "role": "safeguarding"}
    )

    assert response.status_code == 302 and response["Location"] == roles_url(organisation)
    assert holds(newcomer, organisation, Role.SAFEGUARDING_LEAD)
    entry = ModelLogEntry.objects.filter(action=roles.GRANTED).latest("timestamp")
    assert entry.object_id == str(organisation.pk) and entry.user == coordinator
    assert entry.data == {"account": newcomer.pk, "role": "safeguarding"}
    # The history names the account by id, not by its address.
    assert "newcomer@example.org" not in str(entry.data)


@pytest.mark.parametrize(
    "email, message",
    [
        ("nobody@example.org", "No account uses that e-mail address"),
        ("closed@example.org", "That account is closed"),
        ("editor@riverside.example", "already holds that role"),
        ("not an address", "Enter a valid email address"),
    ],
)
def test_a_role_that_cannot_be_given_is_refused_with_a_reason(
    client, organisation, coordinator, editor, email, message
):
    UserFactory(email="closed@example.org", is_active=False)
    client.force_login(coordinator)
    before = ModelLogEntry.objects.filter(action=roles.GRANTED).count()

    response = client.post(roles_url(organisation), {"email": email, "role": "editor"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ModelLogEntry.objects.filter(action=roles.GRANTED).count() == before


def test_an_unknown_role_is_refused(client, organisation, coordinator, user):
    client.force_login(coordinator)
    response = client.post(roles_url(organisation), {"email": user.email, "role": "owner"})
    assert response.status_code == 200
    assert roles.roles_of(user, organisation) == []


# --- Removing a role ---------------------------------------------------------------------------


def test_removing_asks_first_then_removes_and_records_it(client, organisation, coordinator, editor):
    client.force_login(coordinator)
    confirmation = client.get(remove_url(organisation, Role.EDITOR, editor))
    assert confirmation.status_code == 200
    assert holds(editor, organisation, Role.EDITOR)

    response = client.post(remove_url(organisation, Role.EDITOR, editor))

    assert response.status_code == 302
    assert not holds(editor, organisation, Role.EDITOR)
    entry = ModelLogEntry.objects.get(action=roles.REMOVED)
    assert entry.user == coordinator and entry.data == {"account": editor.pk, "role": "editor"}


def test_the_last_coordinator_cannot_be_removed_and_is_told_why(client, organisation, coordinator):
    client.force_login(coordinator)

    response = client.post(remove_url(organisation, Role.COORDINATOR, coordinator), follow=True)

    assert "would have no coordinator left" in response.content.decode()
    assert holds(coordinator, organisation, Role.COORDINATOR)
    assert not ModelLogEntry.objects.filter(action=roles.REMOVED).exists()


def test_a_coordinator_may_step_down_once_someone_else_coordinates(
    client, organisation, coordinator
):
    deputy = UserFactory(email="deputy@riverside.example")
    client.force_login(coordinator)
    client.post(roles_url(organisation), {"email": deputy.email, "role": "coordinator"})

    client.post(remove_url(organisation, Role.COORDINATOR, coordinator))

    assert not holds(coordinator, organisation, Role.COORDINATOR)
    assert holds(deputy, organisation, Role.COORDINATOR)
    # Having stepped down, the organisation's roles are no longer theirs to see.
    response = client.get(roles_url(organisation))
    assert response.status_code in {302, 404} and deputy.email not in response.content.decode()


def test_removing_by_get_changes_nothing(client, organisation, coordinator, editor):
    client.force_login(coordinator)
    client.get(remove_url(organisation, Role.EDITOR, editor))
    assert holds(editor, organisation, Role.EDITOR)
