"""The one organisation-scope rule, and how the shared core's audit-entry manager reaches it."""

import pytest
from django.contrib.auth import get_user_model

from peerpath import scope as core_scope
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.scope import (
    in_organisation,
    organisation_name,
    organisations_for,
    scope_learners,
    visible_organisations,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learners(organisation, other_organisation):
    riverside = UserFactory(email="river@example.org")
    northside = UserFactory(email="north@example.org")
    OrganisationMembership.objects.create(user=riverside, organisation=organisation)
    OrganisationMembership.objects.create(user=northside, organisation=other_organisation)
    return riverside, northside


def test_staff_see_their_own_organisations_learners_only(editor, organisation, learners):
    riverside, northside = learners
    users = scope_learners(get_user_model().objects.all(), editor, user_field="pk")
    assert list(organisations_for(editor)) == [organisation]
    assert list(visible_organisations(editor)) == [organisation]
    assert riverside in users and northside not in users


def test_superusers_see_everyone_and_every_organisation(admin_user, learners):
    assert organisations_for(admin_user) is None
    assert visible_organisations(admin_user).count() == 2
    users = scope_learners(get_user_model().objects.all(), admin_user, user_field="pk")
    assert set(learners) <= set(users)


def test_staff_of_no_organisation_see_no_learners(user, learners):
    assert not scope_learners(get_user_model().objects.all(), user, user_field="pk").exists()


def test_filter_and_annotation_by_organisation(organisation, other_organisation, learners):
    riverside, _northside = learners
    OrganisationMembership.objects.create(user=riverside, organisation=other_organisation)
    users = get_user_model().objects.all()
    assert list(in_organisation(users, organisation, user_field="pk")) == [riverside]
    named = users.annotate(organisation=organisation_name("pk")).get(pk=riverside.pk)
    assert named.organisation == "Northside Wellbeing Collective"  # the first alphabetically


def test_the_organisations_app_provides_the_cores_learner_scope(editor, learners):
    assert core_scope.learner_scope["provider"] is scope_learners
    users = get_user_model().objects.all()
    assert list(core_scope.scope_learner_entries(users, editor, "pk")) == [learners[0]]


def test_without_a_provider_staff_see_no_learners_entries(editor, learners, monkeypatch):
    monkeypatch.setitem(core_scope.learner_scope, "provider", None)
    users = get_user_model().objects.all()
    assert not core_scope.scope_learner_entries(users, editor, "pk").exists()
