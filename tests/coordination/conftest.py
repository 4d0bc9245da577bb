"""Fixtures for the coordination tests: two organisations with a coordinator, an editor and a
safeguarding lead each, a programme both run, and learners who belong to each."""

import pytest

from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.roles import Role
from peerpath.organisations.setup import add_staff
from tests.factories import UserFactory
from tests.meetings.conftest import *  # noqa: F403 - organisations, programmes, workshops, sessions


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
    user = UserFactory(email="safeguarding@riverside.example")
    add_staff(organisation, user, Role.SAFEGUARDING_LEAD)
    return user


@pytest.fixture
def runs_programme(organisation, other_organisation, programme):
    """Both organisations run `programme` (so cohorts and awards may use it)."""
    programme.organisations.add(organisation, other_organisation)
    programme.save()  # A ParentalManyToManyField is written to the database when the page is.
    return programme


def make_member(organisation, **fields):
    user = UserFactory(**fields)
    OrganisationMembership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def member(organisation):
    return make_member(organisation, email="volunteer@riverside.example", first_name="Val")


@pytest.fixture
def other_member(other_organisation):
    return make_member(other_organisation, email="volunteer@northside.example", first_name="Ned")
