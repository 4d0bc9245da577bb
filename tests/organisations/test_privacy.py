"""Organisations' part of "download my data" and of erasure: organisation memberships and roles."""

import pytest

from peerpath.accounts.privacy import collect_personal_data, erase_account
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.setup import add_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(user, organisation, other_organisation):
    """A learner in both organisations who also edits Riverside's workshops."""
    OrganisationMembership.objects.create(user=user, organisation=organisation)
    OrganisationMembership.objects.create(user=user, organisation=other_organisation)
    add_editor(organisation, user)
    return user


def test_export_lists_organisation_memberships_and_roles(member):
    data, _files = collect_personal_data(member)
    memberships = data["organisation_memberships"]
    assert [m["organisation"] for m in memberships] == [
        "Northside Wellbeing Collective",
        "Riverside Peer Support",
    ]
    assert all(m["added_at"] for m in memberships)
    assert data["organisation_roles"] == [
        {"organisation": "Riverside Peer Support", "role": "editor"}
    ]


def test_erasure_removes_the_persons_memberships_only(member, other_user, organisation):
    OrganisationMembership.objects.create(user=other_user, organisation=organisation)
    erase_account(member)
    assert not OrganisationMembership.objects.filter(user=member).exists()
    assert OrganisationMembership.objects.filter(user=other_user).exists()
