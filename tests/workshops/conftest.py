import pytest
from django.contrib.auth.models import AnonymousUser

from tests.certificates.factories import make_programme
from tests.factories import UserFactory
from workshops.organisations import add_editor

from .factories import OrganisationFactory, make_document, make_workshop


@pytest.fixture
def programme(home_page):
    return make_programme(home_page)


@pytest.fixture
def other_programme(home_page):
    return make_programme(home_page, title="One-to-One Peer Mentor", code="OPM")


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


@pytest.fixture
def facilitator_document(organisation):
    return make_document(
        "Warning signs checklist",
        collection=organisation.facilitator_collection,
        content=b"Facilitator only: warning signs",
    )


@pytest.fixture
def participant_document(organisation):
    return make_document(
        "Group agreements card", collection=organisation.collection, content=b"Be kind."
    )


@pytest.fixture
def workshop(organisation, programme, facilitator_document, participant_document):
    return make_workshop(
        organisation.index_page,
        programme=programme,
        title="Weekly peer support group",
        slug="weekly-group",
        participant_documents=[participant_document],
        facilitator_documents=[facilitator_document],
    )


@pytest.fixture
def anonymous():
    return AnonymousUser()
