import pytest
from django.core.cache import cache

from tests.workshops.conftest import *  # noqa: F403 - organisations, programmes and workshops

from .factories import make_facilitator, make_session


@pytest.fixture
def session(workshop):
    return make_session(workshop)


@pytest.fixture
def facilitator(organisation, programme):
    return make_facilitator(organisation, programme, email="lead@riverside.example")


@pytest.fixture
def fresh_rate_limits():
    """An empty cache before and after the test, so no rate limit carries over between tests."""
    cache.clear()
    yield
    cache.clear()
