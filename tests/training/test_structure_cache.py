"""The cached programme structure follows every published change at the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerpath.training import progress
from tests.training.factories import build_module, build_programme, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learner(client, user, programme):
    progress.enrol(user, programme)
    client.force_login(user)
    return user


def overview_on(client, page):
    """The learner's overview as the page at `page`'s URL shows it, after a warm-up request."""
    response = client.get(page.url)
    assert response.status_code == 200
    return response.context["overview"]


def titles(overview):
    return [status.module.title for status in overview.modules]


def test_a_warm_structure_is_read_without_module_or_conduct_queries(
    client, learner, programme, reading_module, check_module
):
    # The first view of a new site creates its settings rows (a new layout generation).
    overview_on(client, programme)
    overview_on(client, programme)
    with CaptureQueriesContext(connection) as captured:
        overview = overview_on(client, programme)
    assert titles(overview) == ["Welcome", "What peer support is"]
    tables = " ".join(query["sql"] for query in captured)
    assert "training_modulepage" not in tables
    assert "training_codeofconductversion" not in tables


def test_a_newly_published_module_is_listed_at_the_next_request(
    client, learner, programme, reading_module
):
    assert titles(overview_on(client, programme)) == ["Welcome"]
    build_module(programme, title="Boundaries")
    assert titles(overview_on(client, programme)) == ["Welcome", "Boundaries"]


def test_an_unpublished_module_leaves_the_programme_at_the_next_request(
    client, learner, programme, reading_module, optional_module
):
    assert titles(overview_on(client, programme)) == ["Welcome", "Going further"]
    optional_module.unpublish()
    assert titles(overview_on(client, programme)) == ["Welcome"]


def test_a_module_made_optional_stops_counting_at_the_next_request(
    client, learner, programme, reading_module, check_module
):
    assert overview_on(client, programme).required_total == 2
    check_module.is_required = False
    publish(check_module)
    overview = overview_on(client, programme)
    assert overview.required_total == 1
    assert [status.module.is_required for status in overview.modules] == [True, False]


def test_a_removed_prerequisite_unlocks_the_module_at_the_next_request(
    client, learner, reading_module, check_module
):
    assert overview_on(client, check_module).status_for(check_module).is_locked
    check_module.prerequisites.set([])
    publish(check_module)
    assert not overview_on(client, check_module).status_for(check_module).is_locked


def test_an_added_prerequisite_locks_the_module_at_the_next_request(
    client, learner, reading_module, optional_module
):
    assert not overview_on(client, optional_module).status_for(optional_module).is_locked
    optional_module.prerequisites.set([reading_module])
    publish(optional_module)
    status = overview_on(client, optional_module).status_for(optional_module)
    assert status.missing_prerequisites == [reading_module]


def test_a_changed_code_of_conduct_must_be_agreed_again_at_the_next_request(
    client, learner, programme, reading_module
):
    first = overview_on(client, programme).conduct
    progress.agree_to_code_of_conduct(learner, programme, first.pk)
    assert overview_on(client, reading_module).conduct_agreed
    programme.code_of_conduct = "<p>Also: arrive on time.</p>"
    publish(programme)
    overview = overview_on(client, reading_module)
    assert overview.conduct.version == first.version + 1
    assert not overview.conduct_agreed


def test_a_module_moved_to_another_programme_follows_at_the_next_request(
    client, learner, programme, reading_module, optional_module
):
    other = build_programme(programme.get_parent().specific, title="Other")
    assert titles(overview_on(client, programme)) == ["Welcome", "Going further"]
    optional_module.move(other, pos="last-child")
    assert titles(overview_on(client, programme)) == ["Welcome"]
    assert titles(overview_on(client, other)) == ["Going further"]
