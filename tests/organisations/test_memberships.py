"""Organisation members in the admin: choosing the learner with a searchable chooser."""

import pytest
from django.urls import reverse

from peerpath.organisations.models import OrganisationMembership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- Organisation members: choosing the learner -------------------------------------------------

MEMBERSHIP_ADD = "wagtailsnippets_peerpath_organisations_organisationmembership:add"


def test_the_membership_form_chooses_the_learner_instead_of_listing_everyone(
    client, staff_user, organisation, user
):
    client.force_login(staff_user)
    response = client.get(reverse(MEMBERSHIP_ADD))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("learner_chooser:choose") in html
    assert "Choose a learner" in html
    assert user.email not in html  # no select holding every account


def test_a_membership_is_added_with_the_chosen_learner(client, staff_user, organisation, user):
    client.force_login(staff_user)
    response = client.post(
        reverse(MEMBERSHIP_ADD), {"user": user.pk, "organisation": organisation.pk}
    )
    assert response.status_code == 302
    assert OrganisationMembership.objects.filter(user=user, organisation=organisation).exists()


def test_the_learner_chooser_searches_names_and_e_mail(client, staff_user):
    amara = UserFactory(first_name="Amara", last_name="Okafor", email="amara@example.org")
    finn = UserFactory(first_name="Finn", last_name="Murphy", email="finn@example.org")
    client.force_login(staff_user)
    for query in ("amara okafor", "AMARA@example"):
        response = client.get(reverse("learner_chooser:choose_results"), {"q": query})
        assert response.status_code == 200
        assert amara.email.encode() in response.content
        assert finn.email.encode() not in response.content
    response = client.get(reverse("learner_chooser:chosen", args=[amara.pk]))
    assert b"Amara Okafor" in response.content and b"amara@example.org" in response.content


def test_only_membership_managers_may_browse_learners(client, editor, user):
    client.force_login(editor)
    for url in (
        reverse("learner_chooser:choose"),
        reverse("learner_chooser:choose_results"),
        reverse("learner_chooser:chosen", args=[user.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert user.email.encode() not in response.content


def test_choosing_an_unknown_learner_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("learner_chooser:chosen", args=[999999])).status_code == 404
