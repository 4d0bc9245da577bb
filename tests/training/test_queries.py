"""The module page and My training run a constant number of SQL queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerpath.training import progress, views
from tests.factories import UserFactory
from tests.training.factories import build_module, build_programme, question

pytestmark = pytest.mark.django_db

# Pinned, with the cached layout, route and programme structure warm as on a running site. The
# module page: the module (one query through the route cache), the user, and the learner's own
# rows: enrolment, progress rows, attestation and the attempt shown. The session, site, settings,
# menu, view restrictions, whether the user holds any admin grant (the user bar and the edit
# check), the rendered body and the programme's structure (the programme, its modules,
# prerequisites and code of conduct) come from the cache; reflections are read only for a body
# with reflection prompts. None of them depends on the number of modules or enrolments.
MODULE_PAGE_QUERIES = 6
# My training: the user, the enrolments, progress rows, attestations and the training index page.
MY_TRAINING_QUERIES = 5


def programme_of(index, size, title="Programme"):
    programme = build_programme(index, title=title)
    modules = []
    for number in range(size):
        modules.append(
            build_module(
                programme,
                title=f"{title} module {number}",
                questions=[question(), question()] if number % 2 else None,
                prerequisites=modules[-1:],
                revision=False,
            )
        )
    return programme, modules


def count_queries(client, url):
    # Warm the caches as a running site has them: the first view of a new site also creates its
    # settings rows, which starts a new layout generation, so it takes two.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def module_page_queries(client, user, index, size):
    programme, modules = programme_of(index, size, title=f"Size {size}")
    progress.enrol(user, programme)
    progress.mark_module_complete(user, modules[0])
    client.get(modules[1].url)  # the first visit also records the module as started
    return count_queries(client, modules[1].url + "?attempt=1")


def test_the_module_page_query_count_does_not_grow_with_the_programme(client, user, training_index):
    client.force_login(user)
    small = module_page_queries(client, user, training_index, 3)
    large = module_page_queries(client, user, training_index, 30)
    assert small == large == MODULE_PAGE_QUERIES


def my_training_queries(client, user, index, enrolments):
    for number in range(enrolments):
        programme, modules = programme_of(index, 3, title=f"P{enrolments}-{number}")
        progress.enrol(user, programme)
        progress.mark_module_complete(user, modules[0])
    return count_queries(client, reverse("training:my_training"))


def compare_one_and_ten_enrolments(client, index):
    one, ten = UserFactory(), UserFactory()
    client.force_login(one)
    with_one = my_training_queries(client, one, index, 1)
    client.force_login(ten)
    with_ten = my_training_queries(client, ten, index, 10)
    return with_one, with_ten


def test_my_training_query_count_does_not_grow_with_enrolments(client, training_index, monkeypatch):
    # Pinned without other apps' panels: each app pins the cost of its own panel.
    get_hooks = views.hooks.get_hooks
    monkeypatch.setattr(
        views.hooks,
        "get_hooks",
        lambda name: [] if name == views.MY_TRAINING_PANELS_HOOK else get_hooks(name),
    )
    with_one, with_ten = compare_one_and_ten_enrolments(client, training_index)
    assert with_one == with_ten == MY_TRAINING_QUERIES


def test_my_training_with_every_installed_panel_stays_constant(client, training_index):
    with_one, with_ten = compare_one_and_ten_enrolments(client, training_index)
    assert with_one == with_ten


def test_the_programme_page_query_count_does_not_grow_with_the_programme(
    client, user, training_index
):
    client.force_login(user)
    counts = []
    for size in (3, 30):
        programme, modules = programme_of(training_index, size, title=f"Programme {size}")
        progress.enrol(user, programme)
        counts.append(count_queries(client, programme.url))
    assert counts[0] == counts[1]
