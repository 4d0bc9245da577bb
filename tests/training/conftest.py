import pytest

from tests.training.factories import build_index, build_module, build_programme, question


@pytest.fixture
def training_index(home_page):
    return build_index(home_page)


@pytest.fixture
def programme(training_index):
    return build_programme(training_index)


@pytest.fixture
def reading_module(programme):
    """A required module without a check: completed with "Mark as complete"."""
    return build_module(programme, title="Welcome")


@pytest.fixture
def check_module(programme, reading_module):
    """A required module with a 4-question check (pass mark 75%), after the reading module."""
    return build_module(
        programme,
        title="What peer support is",
        questions=[
            question("Single one", [("Yes", True), ("No", False)]),
            question("Single two", [("A", False), ("B", True), ("C", False)]),
            question("Multiple", [("X", True), ("Y", True), ("Z", False)], kind="multiple"),
            question("Single three", [("Up", True), ("Down", False)]),
        ],
        prerequisites=[reading_module],
    )


@pytest.fixture
def optional_module(programme):
    return build_module(programme, title="Going further", is_required=False)


@pytest.fixture
def enrolled(user, programme):
    from peerpath.training.models import Enrolment

    return Enrolment.objects.create(user=user, programme=programme)


@pytest.fixture(autouse=True)
def isolated_completion_signal(monkeypatch):
    """Training tests watch `programme_completed` themselves; the receivers other apps connect
    (certificates issuing) are exercised by those apps' own tests."""
    from peerpath.training.signals import programme_completed

    monkeypatch.setattr(programme_completed, "receivers", [])
    programme_completed.sender_receivers_cache.clear()
    yield
    programme_completed.sender_receivers_cache.clear()
