import pytest
from django.core.cache import cache

from .factories import make_programme


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """Each test starts with an empty cache, so rate limits from other tests do not leak in."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(home_page):
    return make_programme(home_page)


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a certificate as a completion does, running the PDF task that follows the commit."""
    from peerpath.certificates.issuing import issue_for_completion

    def _issue(user, programme, completed_at=None):
        with django_capture_on_commit_callbacks(execute=True):
            certificate, _created = issue_for_completion(user, programme, completed_at)
        if certificate is not None:
            certificate.refresh_from_db()
        return certificate

    return _issue


@pytest.fixture
def ethics(db):
    """A continuing-education category."""
    from peerpath.training.models import ContinuingEducationCategory

    return ContinuingEducationCategory.objects.create(name="Ethics")


@pytest.fixture
def recovery(db):
    """Another continuing-education category."""
    from peerpath.training.models import ContinuingEducationCategory

    return ContinuingEducationCategory.objects.create(name="Peer support and recovery")
