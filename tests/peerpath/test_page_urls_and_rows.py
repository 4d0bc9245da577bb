"""Page URLs without Wagtail's site query, and remembered routes rebuilt from field values that
still notice a change made where this process's cache cannot see it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from peerpath.layout import layout_for, page_url
from tests.training.factories import build_index, build_module, build_programme

from .test_page_caches import learner_on, page_html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(home_page):
    return build_programme(build_index(home_page))


@pytest.fixture
def module(programme):
    return build_module(programme, title="Listening")


def warm_request():
    request = RequestFactory().get("/")
    layout_for(request)
    return RequestFactory().get("/")


def test_page_url_gives_wagtails_answer_without_a_query_once_the_layout_is_cached(module):
    expected = Page.objects.get(pk=module.pk).get_url(RequestFactory().get("/"))
    request = warm_request()
    with CaptureQueriesContext(connection) as captured:
        assert page_url(request, module) == expected
    assert not captured.captured_queries


def test_page_url_gives_the_full_url_of_a_page_on_another_site(home_page, module):
    other_root = Page.objects.get(depth=1).add_child(title="Other", slug="other-root")
    other = Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    request = warm_request()
    assert page_url(request, module) == module.get_url(RequestFactory().get("/"))
    assert page_url(request, other_root) == other.root_url + "/"


def test_the_training_tag_renders_the_same_url_as_pageurl(module):
    template = Template(
        "{% load wagtailcore_tags peerpath_training %}{% pageurl page %}|{% training_page_url page %}"
    )
    wagtails, ours = template.render(Context({"page": module, "request": warm_request()})).split(
        "|"
    )
    assert wagtails == ours == module.url


def test_a_remembered_page_is_rebuilt_from_its_field_values(client, module):
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    response = client.get(module.url)
    page = response.context["page"]
    assert type(page) is type(module) and page.pk == module.pk
    assert (
        page.title == "Listening"
        and page.body.get_prep_value() == module.specific.body.get_prep_value()
    )


def test_a_change_no_signal_announced_is_still_noticed_by_the_remembered_route(client, module):
    # Another process (with a cache of its own) unpublishing or republishing the page: nothing
    # here starts a new generation, but the row no longer matches what was remembered.
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    Page.objects.filter(pk=module.pk).update(live=False)
    assert client.get(module.url).status_code == 404


def test_a_new_published_version_is_served_even_if_this_cache_missed_the_news(client, module):
    client.force_login(learner_on(module.programme))
    revision = module.save_revision()
    page_html(client, module.url)
    page_html(client, module.url)  # remembered with the version published before `revision`
    Page.objects.filter(pk=module.pk).update(title="Listening well", live_revision=revision)
    assert "Listening well" in page_html(client, module.url)
