import pytest
from django.contrib.auth.models import AnonymousUser

from tests.certificates.factories import make_programme
from tests.organisations.fixtures import *  # noqa: F403 - the shared organisation fixtures

from .factories import make_document, make_workshop


@pytest.fixture
def programme(home_page):
    return make_programme(home_page)


@pytest.fixture
def other_programme(home_page):
    return make_programme(home_page, title="One-to-One Peer Mentor", code="OPM")


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
