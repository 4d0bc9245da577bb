"""Workshop listings: filters, search, pagination, empty states, bad input and query counts."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from peerpath.workshops.listing import PER_PAGE, browse, search_words
from peerpath.workshops.models import WorkshopLibraryPage, WorkshopPage

from .factories import make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(organisation):
    return WorkshopLibraryPage.objects.get()


@pytest.fixture
def catalogue(organisation, other_organisation, programme):
    return {
        "group": make_workshop(
            organisation.index_page, programme=programme, title="Tuesday circle"
        ),
        "boundaries": make_workshop(
            organisation.index_page,
            programme=programme,
            title="Boundaries and self-care",
            summary="Saying no without guilt, and looking after yourself as a supporter.",
            format=WorkshopPage.Format.WORKSHOP,
            audience=WorkshopPage.Audience.FACILITATORS,
        ),
        "online": make_workshop(
            other_organisation.index_page,
            programme=programme,
            title="Thursday online group",
            format=WorkshopPage.Format.ONLINE_GROUP,
            audience=WorkshopPage.Audience.CARERS,
        ),
        "draft": make_workshop(
            other_organisation.index_page, programme=programme, title="Unfinished", live=False
        ),
    }


def _titles(response):
    return [workshop.title for workshop in response.context["workshops"]]


def test_library_lists_live_workshops_of_every_organisation(client, library, catalogue):
    response = client.get(library.url)
    assert response.status_code == 200
    assert _titles(response) == [
        "Boundaries and self-care",
        "Thursday online group",
        "Tuesday circle",
    ]
    html = response.content.decode()
    assert "By Riverside Peer Support" in html
    assert "By Northside Wellbeing Collective" in html


def test_organisation_index_lists_only_its_own_workshops(client, organisation, catalogue):
    response = client.get(organisation.index_page.url)
    assert _titles(response) == ["Boundaries and self-care", "Tuesday circle"]
    assert "safeguarding@riverside.example" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"format": "online_group"}, ["Thursday online group"]),
        ({"audience": "facilitators"}, ["Boundaries and self-care"]),
        ({"organisation": "northside"}, ["Thursday online group"]),
        ({"organisation": "riverside", "format": "support_group"}, ["Tuesday circle"]),
    ],
)
def test_filters(client, library, catalogue, params, expected):
    assert _titles(client.get(library.url, params)) == expected


def test_search_finds_workshops_by_summary(client, library, catalogue):
    response = client.get(library.url, {"q": "guilt"})
    assert _titles(response) == ["Boundaries and self-care"]
    assert "matching “guilt”" in response.content.decode()


def test_search_does_not_reveal_facilitator_notes(client, library, catalogue):
    assert _titles(client.get(library.url, {"q": "withdrawn"})) == []


# Text with search-engine syntax in it: FTS5's quotes, `*`, `-`, `^`, `NEAR(`, `AND`, columns and
# parentheses, and PostgreSQL's tsquery operators. An odd number of `"` was a 500 on SQLite
# ("unterminated string", wagtail/wagtail#13227). Each is read as the words in it; None: the
# result depends on the backend (SQLite has no stop words, PostgreSQL drops "and"), only 200.
SEARCH_SYNTAX = [
    ('"', []),
    ('""', []),
    ('"""', []),
    ('"circle', ["Tuesday circle"]),
    ('circle"', ["Tuesday circle"]),
    ('"circle"', ["Tuesday circle"]),
    ('"tuesday circle"', ["Tuesday circle"]),
    ('"tuesday circle', ["Tuesday circle"]),
    ('circle"tuesday', ["Tuesday circle"]),
    ('"circle" "tuesday', ["Tuesday circle"]),
    ("*", []),
    ("circle*", ["Tuesday circle"]),
    ("*circle", ["Tuesday circle"]),
    ("-", []),
    ("-circle", ["Tuesday circle"]),
    ("circle -", ["Tuesday circle"]),
    ("^", []),
    ("^circle", ["Tuesday circle"]),
    ("(", []),
    (")", []),
    ("(circle", ["Tuesday circle"]),
    ("(circle)", ["Tuesday circle"]),
    ("{title}: circle", None),
    ("circle:", ["Tuesday circle"]),
    ("NEAR(", None),
    ("NEAR(river", ["Walks near the river"]),
    ('NEAR("river" walks, 2)', None),
    ("AND", None),
    ("Boundaries AND self-care", ["Boundaries and self-care"]),
    ("circle OR", None),
    ("NOT circle", None),
    ("circle & | ! <-> :*", ["Tuesday circle"]),
    ("' OR 1=1 --", None),
    ("\\", []),
    ("😀", []),
]


@pytest.mark.parametrize(("query", "expected"), SEARCH_SYNTAX)
def test_search_reads_what_visitors_type_as_words(
    client, organisation, programme, library, catalogue, query, expected
):
    make_workshop(organisation.index_page, programme=programme, title="Walks near the river")
    response = client.get(library.url, {"q": query})
    assert response.status_code == 200
    if expected is not None:
        assert _titles(response) == expected
    if expected == []:
        assert "No workshops match" in response.content.decode()


def test_search_words_keeps_letters_and_digits_only():
    assert search_words("\"Tuesday circle\" self-care NEAR(x, 2) ^a* c:d 'ok' café 😀") == [
        "Tuesday",
        "circle",
        "self",
        "care",
        "NEAR",
        "x",
        "2",
        "a",
        "c",
        "d",
        "ok",
        "café",
    ]
    assert search_words('" * - ^ ( ) ""') == []


@pytest.mark.parametrize(
    "params",
    [{"format": "rave"}, {"audience": "<script>"}, {"organisation": "nobody"}, {"q": "x" * 500}],
)
def test_bad_filter_values_are_explained_not_500(client, library, catalogue, params):
    response = client.get(library.url, params)
    assert response.status_code == 200
    assert "Some filters could not be used" in response.content.decode()
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(("page", "expected"), [("2", 2), ("999", 2), ("abc", 1), ("-1", 2)])
def test_pagination_handles_any_page_number(
    client, organisation, programme, library, page, expected
):
    for number in range(PER_PAGE + 1):
        make_workshop(organisation.index_page, programme=programme, title=f"Group {number:02d}")
    response = client.get(library.url, {"page": page, "format": "support_group"})
    assert response.status_code == 200
    assert response.context["workshops"].number == expected
    if expected == 1:
        assert 'rel="next" href' not in response.content.decode()
        assert "page=2" in response.content.decode()
        assert "format=support_group" in response.content.decode()


def test_empty_library_says_so(client, library):
    response = client.get(library.url)
    assert "No workshops published yet" in response.content.decode()


def test_no_matches_offers_a_way_back(client, library, catalogue):
    response = client.get(library.url, {"q": "astronomy"})
    html = response.content.decode()
    assert "No workshops match" in html
    assert "Show all workshops" in html


def _count_queries(client, url):
    client.get(url)  # warm the cached layout and route, as a running site has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _listing_queries(listing_page):
    """Queries made by the listing itself: `browse` and rendering its template."""
    request = RequestFactory().get(listing_page.url)
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        context = browse(listing_page, request)
        render_to_string(
            "workshops/includes/listing.html", {**context, "page": listing_page}, request
        )
    return len(queries)


def _add_workshops(count, organisation, other_organisation, programme):
    for number in range(count):
        index = organisation.index_page if number % 2 else other_organisation.index_page
        make_workshop(index, programme=programme, title=f"Workshop {number}")


# The listing's own queries. Library: view restrictions, count, page of workshops, organisations
# and the site (for workshop URLs).
# Organisation index: the same, with its organisation instead of the list of organisations.
PINNED_LISTING_QUERIES = {"library": 5, "organisation": 5}


@pytest.mark.parametrize("listing", ["library", "organisation"])
def test_listing_query_count_is_pinned_at_3_and_30_workshops(
    client, organisation, other_organisation, programme, library, listing
):
    page = library if listing == "library" else organisation.index_page
    _add_workshops(3, organisation, other_organisation, programme)
    page = type(page).objects.get(pk=page.pk)
    whole_page_with_3 = _count_queries(client, page.url)
    assert _listing_queries(page) == PINNED_LISTING_QUERIES[listing]

    _add_workshops(27, organisation, other_organisation, programme)
    page = type(page).objects.get(pk=page.pk)
    assert _count_queries(client, page.url) == whole_page_with_3
    assert _listing_queries(page) == PINNED_LISTING_QUERIES[listing]


def test_listing_pages_show_at_most_one_page_of_workshops(
    client, organisation, other_organisation, programme, library
):
    _add_workshops(30, organisation, other_organisation, programme)
    response = client.get(library.url)
    assert len(response.context["workshops"].object_list) == PER_PAGE
