"""Organisation fixtures shared by the organisations and workshops tests (their conftests import
them)."""

import pytest

from peerpath.organisations.setup import add_editor
from tests.factories import UserFactory

from .factories import OrganisationFactory


@pytest.fixture
def organisation(home_page):
    return OrganisationFactory(name="Riverside Peer Support", slug="riverside")


@pytest.fixture
def other_organisation(home_page):
    return OrganisationFactory(name="Northside Wellbeing Collective", slug="northside")


@pytest.fixture
def editor(organisation):
    user = UserFactory(email="editor@riverside.example")
    add_editor(organisation, user)
    return user


@pytest.fixture
def other_editor(other_organisation):
    user = UserFactory(email="editor@northside.example")
    add_editor(other_organisation, user)
    return user
