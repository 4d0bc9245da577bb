"""Coordinators manage their own organisations' memberships in the admin, and nobody else's."""

import pytest
from django.urls import reverse

from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.roles import Role
from peerpath.organisations.setup import add_staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_peerpath_organisations_organisationmembership"


@pytest.fixture
def coordinator(organisation):
    user = UserFactory(email="coordinator@riverside.example")
    add_staff(organisation, user, Role.COORDINATOR)
    return user


@pytest.fixture
def membership(organisation):
    learner = UserFactory(email="val@riverside.example")
    return OrganisationMembership.objects.create(user=learner, organisation=organisation)


@pytest.fixture
def other_membership(other_organisation):
    learner = UserFactory(email="ned@northside.example")
    return OrganisationMembership.objects.create(user=learner, organisation=other_organisation)


def test_a_coordinator_lists_their_own_organisations_members_only(
    client, coordinator, membership, other_membership, other_organisation
):
    client.force_login(coordinator)
    response = client.get(reverse(f"{URLS}:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "val@riverside.example" in html
    assert "ned@northside.example" not in html
    # The organisation filter offers theirs only.
    assert other_organisation.name not in html


def test_a_superuser_lists_every_membership(client, staff_user, membership, other_membership):
    client.force_login(staff_user)
    html = client.get(reverse(f"{URLS}:list")).content.decode()
    assert "val@riverside.example" in html and "ned@northside.example" in html


def test_a_coordinator_adds_a_member_to_their_organisation(client, coordinator, organisation):
    learner = UserFactory(email="new@example.org")
    client.force_login(coordinator)
    form = client.get(reverse(f"{URLS}:add")).content.decode()
    assert organisation.name in form and "Northside" not in form

    response = client.post(
        reverse(f"{URLS}:add"), {"user": learner.pk, "organisation": organisation.pk}
    )

    assert response.status_code == 302
    assert OrganisationMembership.objects.filter(user=learner, organisation=organisation).exists()


def test_a_coordinator_cannot_add_a_member_to_another_organisation(
    client, coordinator, other_organisation
):
    learner = UserFactory(email="new@example.org")
    client.force_login(coordinator)

    response = client.post(
        reverse(f"{URLS}:add"), {"user": learner.pk, "organisation": other_organisation.pk}
    )

    assert response.status_code == 200  # the form again, with its error
    assert not OrganisationMembership.objects.filter(user=learner).exists()


def test_a_duplicate_membership_is_refused_with_a_message(client, coordinator, membership):
    client.force_login(coordinator)
    response = client.post(
        reverse(f"{URLS}:add"),
        {"user": membership.user_id, "organisation": membership.organisation_id},
    )
    assert response.status_code == 200
    assert OrganisationMembership.objects.filter(user=membership.user).count() == 1


def test_a_coordinator_removes_a_member_of_their_organisation(client, coordinator, membership):
    client.force_login(coordinator)
    url = reverse(f"{URLS}:delete", args=[membership.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_another_organisations_membership_is_not_found(client, coordinator, other_membership):
    client.force_login(coordinator)
    for name in ("delete", "history", "usage"):
        url = reverse(f"{URLS}:{name}", args=[other_membership.pk])
        response = client.get(url)
        assert response.status_code == 404, name
    assert client.post(reverse(f"{URLS}:delete", args=[other_membership.pk])).status_code == 404
    edit = client.get(reverse(f"{URLS}:edit", args=[other_membership.pk]))
    assert edit.status_code in {302, 403, 404}
    assert "ned@northside.example" not in edit.content.decode()
    assert OrganisationMembership.objects.filter(pk=other_membership.pk).exists()


def test_bulk_deletion_leaves_another_organisations_memberships(
    client, coordinator, membership, other_membership
):
    client.force_login(coordinator)
    url = reverse(
        "wagtail_bulk_action", args=["peerpath_organisations", "organisationmembership", "delete"]
    )
    client.post(f"{url}?id={membership.pk}&id={other_membership.pk}")
    assert OrganisationMembership.objects.filter(pk=other_membership.pk).exists()


def test_coordinators_may_browse_learners_to_add_editors_may_not(client, coordinator, editor):
    client.force_login(coordinator)
    assert client.get(reverse("learner_chooser:choose")).status_code == 200
    client.force_login(editor)
    assert client.get(reverse("learner_chooser:choose")).status_code in {302, 403}


@pytest.mark.parametrize("who", ["editor", "user"])
def test_editors_and_learners_see_no_memberships(client, request, membership, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(f"{URLS}:list"))
    assert response.status_code in {302, 403}
    assert "val@riverside.example" not in response.content.decode()
