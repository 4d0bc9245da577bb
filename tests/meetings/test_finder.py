"""Find a group (`/groups/`): filters, search, pagination, empty states, bad input, query counts."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath import caching
from peerpath.meetings.booking import book
from peerpath.meetings.choices import Mode
from peerpath.meetings.finder import PER_PAGE, SESSIONS
from peerpath.meetings.models import Session
from peerpath.meetings.scheduling import cancel_session
from peerpath.workshops.models import WorkshopPage
from tests.workshops.factories import OrganisationFactory, make_workshop

from .factories import make_booking, make_session, put_on_roster

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
FINDER = reverse("meetings:finder")


def next_local(weekday, hour, minute=0, weeks=1):
    """The London time `hour:minute` on `weekday` (Monday 0) at least `weeks` weeks from today."""
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


@pytest.fixture
def catalogue(organisation, other_organisation, programme, workshop):
    """A Tuesday-evening group in Riverside, a Saturday-morning workshop in Riverside, a Thursday
    afternoon online group in Northside, and sessions that must never be listed."""
    boundaries = make_workshop(
        organisation.index_page,
        programme=programme,
        title="Boundaries and self-care",
        summary="Saying no without guilt.",
        format=WorkshopPage.Format.WORKSHOP,
        audience=WorkshopPage.Audience.FACILITATORS,
    )
    online = make_workshop(
        other_organisation.index_page,
        programme=programme,
        title="Carers online circle",
        summary="Support for people who look after someone.",
        format=WorkshopPage.Format.ONLINE_GROUP,
        audience=WorkshopPage.Audience.CARERS,
    )
    draft = make_workshop(organisation.index_page, programme=programme, live=False)
    return {
        "tuesday": make_session(
            workshop,
            starts_at=next_local(1, 19),
            venue_name="Riverside Library",
            address="1 Quay Street\nRiverside",
        ),
        "saturday": make_session(
            boundaries,
            starts_at=next_local(5, 10),
            venue_name="Mill Lane Hall",
            address="12 Mill Lane, Oldtown",
        ),
        "thursday": make_session(online, starts_at=next_local(3, 14), mode=Mode.ONLINE),
        "cancelled": make_session(
            workshop,
            starts_at=next_local(1, 19, weeks=2),
            status="cancelled",
            cancellation_reason="Room flooded",
        ),
        "past": make_session(workshop, starts_at=timezone.now() - datetime.timedelta(days=2)),
        "draft": make_session(draft, starts_at=next_local(2, 12)),
    }


def listed(response):
    return [session.pk for session in response.context["sessions"]]


def test_lists_upcoming_public_sessions_soonest_first(client, catalogue):
    response = client.get(FINDER)
    assert response.status_code == 200
    expected = sorted(
        (catalogue[name] for name in ("tuesday", "saturday", "thursday")),
        key=lambda session: session.starts_at,
    )
    assert listed(response) == [session.pk for session in expected]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"format": "online_group"}, ["thursday"]),
        ({"audience": "facilitators"}, ["saturday"]),
        ({"day": "1"}, ["tuesday"]),
        ({"time": "morning"}, ["saturday"]),
        ({"time": "afternoon"}, ["thursday"]),
        ({"time": "evening"}, ["tuesday"]),
        ({"held": "online"}, ["thursday"]),
        ({"organisation": "northside"}, ["thursday"]),
        ({"q": "carers"}, ["thursday"]),
        ({"q": "Oldtown"}, ["saturday"]),
        ({"q": "library riverside"}, ["tuesday"]),
        ({"q": "Northside"}, ["thursday"]),
        ({"q": "nothing like this"}, []),
    ],
)
def test_each_filter_narrows_the_results(client, catalogue, params, expected):
    response = client.get(FINDER, params)
    assert response.status_code == 200
    assert listed(response) == [catalogue[name].pk for name in expected]


def test_the_workshop_filter_lists_only_that_workshops_dates(client, catalogue, workshop):
    later = make_session(workshop, starts_at=next_local(1, 19, weeks=3))
    response = client.get(FINDER, {"workshop": workshop.pk})
    assert listed(response) == [catalogue["tuesday"].pk, later.pk]


def test_time_of_day_is_the_sessions_own_local_time(client, organisation, workshop):
    # 19:00 in New York is after midnight in London: still an evening session.
    new_york = zoneinfo.ZoneInfo("America/New_York")
    day = timezone.localdate() + datetime.timedelta(days=10)
    session = make_session(
        workshop,
        starts_at=datetime.datetime.combine(day, datetime.time(19), new_york),
        time_zone="America/New_York",
    )
    assert listed(client.get(FINDER, {"time": "evening"})) == [session.pk]
    assert listed(client.get(FINDER, {"time": "morning"})) == []


def test_a_result_says_when_where_places_left_and_who_runs_it(client, catalogue):
    html = client.get(FINDER, {"day": "1"}).content.decode()
    tuesday = catalogue["tuesday"]
    local = tuesday.local_start
    assert local.strftime("%H:%M") + "–" in html
    assert local.tzname() in html
    assert "Riverside Library, 1 Quay Street, Riverside" in html
    assert "10 places left" in html
    assert "Riverside Peer Support" in html


def test_an_online_session_says_online(client, catalogue):
    html = client.get(FINDER, {"held": "online"}).content.decode()
    assert "Online" in html
    assert catalogue["thursday"].joining_link not in html


def test_a_full_session_says_the_waiting_list_is_open(client, workshop):
    session = make_session(workshop, capacity=1)
    make_booking(session)
    assert "Full — waiting list open" in client.get(FINDER).content.decode()


def test_a_drop_in_session_says_no_booking_is_needed(client, workshop):
    make_session(workshop, capacity=None)
    assert "Drop-in, no booking needed" in client.get(FINDER).content.decode()


def test_no_participant_or_facilitator_names_appear(client, workshop, facilitator):
    session = make_session(workshop)
    make_booking(session, first_name="Zebedee", email="zebedee@example.org")
    put_on_roster(session, facilitator)
    html = client.get(FINDER).content.decode()
    assert "Zebedee" not in html
    assert "zebedee@example.org" not in html
    assert facilitator.email not in html
    assert facilitator.get_full_name() not in html


def test_results_are_paginated_and_page_links_keep_the_filters(client, workshop):
    start = next_local(1, 19)
    for week in range(PER_PAGE + 1):
        make_session(workshop, starts_at=start + datetime.timedelta(weeks=week))
    first = client.get(FINDER, {"day": "1"})
    assert len(first.context["sessions"]) == PER_PAGE
    assert "day=1&amp;page=2" in first.content.decode()
    second = client.get(FINDER, {"day": "1", "page": "2"})
    assert len(second.context["sessions"]) == 1


def test_a_page_number_out_of_range_shows_the_last_page(client, catalogue):
    response = client.get(FINDER, {"page": "999"})
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 3


def test_the_count_of_results_is_shown(client, catalogue):
    assert "3 upcoming sessions" in client.get(FINDER).content.decode()


def test_no_match_shows_the_empty_state_with_a_clear_filters_link(client, catalogue):
    html = client.get(FINDER, {"q": "xylophone"}).content.decode()
    assert "No sessions match" in html
    assert f'href="{FINDER}">Clear filters</a>' in html


def test_with_no_sessions_at_all_the_page_says_so(client, organisation):
    assert "No sessions are listed at the moment" in client.get(FINDER).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"format": "knitting"},
        {"day": "9"},
        {"time": "midnight"},
        {"held": "by-carrier-pigeon"},
        {"organisation": "nowhere"},
        {"workshop": "not-a-number"},
        {"workshop": str(2**70)},
        {"page": "x"},
        {"q": '"*(^'},
    ],
)
def test_bad_filters_list_nothing_or_everything_but_never_fail(client, catalogue, params):
    response = client.get(FINDER, params)
    assert response.status_code == 200


def test_an_unknown_filter_value_is_a_form_error_and_lists_nothing(client, catalogue):
    response = client.get(FINDER, {"day": "9"})
    assert listed(response) == []
    assert "Some filters could not be used" in response.content.decode()


def test_feeds_are_linked_per_workshop_and_per_organisation(client, catalogue, workshop):
    html = client.get(FINDER, {"organisation": "riverside"}).content.decode()
    assert reverse("meetings:workshop_feed", args=[workshop.pk]) in html
    assert reverse("meetings:organisation_feed", args=["riverside"]) in html


def test_post_is_not_allowed(client, organisation):
    assert client.post(FINDER).status_code == 405


# -- Query counts: the finder must not grow with the number of sessions or organisations -------


def many_sessions(count, organisations):
    """`count` upcoming sessions spread over a workshop of each of `organisations`."""
    workshops = [
        make_workshop(organisation.index_page, title=f"Group of {organisation.name}")
        for organisation in organisations
    ]
    start = timezone.now() + datetime.timedelta(days=1)
    sessions = []
    for number in range(count):
        workshop = workshops[number % len(workshops)]
        organisation = organisations[number % len(organisations)]
        session = Session(
            workshop=workshop,
            organisation=organisation,
            time_zone=organisation.time_zone,
            starts_at=start + datetime.timedelta(hours=number),
            duration_minutes=90,
            venue_name="Hall",
            address="1 High Street",
            capacity=12,
        )
        session.derive_columns()
        sessions.append(session)
    Session.objects.bulk_create(sessions)


QUERIES = 4  # the organisations, the view restrictions, the count, one page of sessions


@pytest.mark.parametrize("count", [10, 2000])
def test_the_finder_runs_a_fixed_number_of_queries(
    client, organisation, count, django_assert_num_queries
):
    organisations = [organisation, *(OrganisationFactory() for _ in range(49 if count > 10 else 1))]
    many_sessions(count, organisations)
    client.get(FINDER)  # warm the layout caches, as any earlier visitor would have
    caching.bump(SESSIONS)  # but not the finder's own
    with django_assert_num_queries(QUERIES):
        response = client.get(FINDER)
    assert response.context["paginator"].count == count


@pytest.mark.parametrize("count", [10, 2000])
def test_a_filtered_search_runs_the_same_fixed_number_of_queries(
    client, organisation, count, django_assert_num_queries
):
    organisations = [organisation, *(OrganisationFactory() for _ in range(49 if count > 10 else 1))]
    many_sessions(count, organisations)
    params = {"q": "group", "held": "in_person", "organisation": organisation.slug, "page": "2"}
    client.get(FINDER, params)
    caching.bump(SESSIONS)
    with django_assert_num_queries(QUERIES):
        client.get(FINDER, params)


def test_the_next_visitor_with_the_same_filters_gets_the_list_without_queries(
    client, catalogue, django_assert_num_queries
):
    client.get(FINDER, {"day": "1"})
    with django_assert_num_queries(0):
        response = client.get(FINDER, {"day": "1"})
    assert str(catalogue["tuesday"].pk) in response.content.decode()


def test_a_booking_shows_at_once_in_the_places_left(client, catalogue):
    assert "10 places left" in client.get(FINDER, {"day": "1"}).content.decode()
    book(catalogue["tuesday"], first_name="Ana", email="ana@example.org")
    assert "9 places left" in client.get(FINDER, {"day": "1"}).content.decode()


def test_a_cancelled_session_leaves_the_list_at_once(client, catalogue):
    assert listed(client.get(FINDER, {"day": "1"})) == [catalogue["tuesday"].pk]
    cancel_session(catalogue["tuesday"], "Facilitator unwell")
    assert "No sessions match" in client.get(FINDER, {"day": "1"}).content.decode()


def test_a_renamed_organisation_shows_at_once(client, catalogue, other_organisation):
    client.get(FINDER, {"held": "online"})
    other_organisation.name = "Northside Peer Collective"
    other_organisation.save()
    assert "Northside Peer Collective" in client.get(FINDER, {"held": "online"}).content.decode()


def test_the_chosen_filters_stay_selected(client, catalogue):
    content = client.get(FINDER, {"day": "1", "organisation": "riverside"}).content.decode()
    assert '<option value="1" selected>Tuesday</option>' in content
    assert '<option value="riverside" selected>Riverside Peer Support</option>' in content
    assert '<option value="northside">Northside Wellbeing Collective</option>' in content


def test_page_links_keep_only_the_finders_own_filters(client, workshop):
    start = next_local(1, 19)
    for week in range(PER_PAGE + 1):
        make_session(workshop, starts_at=start + datetime.timedelta(weeks=week))
    content = client.get(FINDER, {"day": "1", "utm_source": "newsletter"}).content.decode()
    assert "?day=1&amp;page=2" in content
    assert "utm_source" not in content
