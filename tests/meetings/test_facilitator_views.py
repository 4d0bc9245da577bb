"""Facilitators' pages: my sessions, the roster and register, completing, the check-in QR code."""

import datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings.models import Booking, Session
from tests.certificates.qr import decode_svg_qr

from .factories import make_booking, make_facilitator, make_session, put_on_roster

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def started(workshop, facilitator):
    """A session that started ten minutes ago, led by `facilitator`."""
    session = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(minutes=10))
    put_on_roster(session, facilitator)
    return session


@pytest.fixture
def people(user, other_editor, organisation, programme, editor, staff_user, facilitator):
    """Everyone in the access matrix but the anonymous visitor."""
    return {
        "participant": user,
        "other_editor": other_editor,
        "not_on_roster": make_facilitator(organisation, programme),
        "roster": facilitator,
        "editor": editor,
        "superuser": staff_user,
    }


FACILITATOR_URLS = [
    ("get", "meetings:roster"),
    ("post", "meetings:roster"),
    ("post", "meetings:complete"),
    ("get", "meetings:check_in_qr"),
]
ALLOWED = {"roster", "editor", "superuser"}


@pytest.mark.parametrize("method,name", FACILITATOR_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, started, method, name):
    response = getattr(client, method)(reverse(name, args=[started.pk]))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("method,name", FACILITATOR_URLS)
@pytest.mark.parametrize(
    "who", ["participant", "other_editor", "not_on_roster", "roster", "editor", "superuser"]
)
def test_only_those_who_run_the_session_get_its_facilitator_pages(
    client, started, people, method, name, who
):
    make_booking(started, user=people["participant"])
    client.force_login(people[who])
    response = getattr(client, method)(reverse(name, args=[started.pk]), {"walk_ins": "0"})
    assert (response.status_code != 403) == (who in ALLOWED)
    assert response.status_code in {200, 302, 403}


@pytest.mark.parametrize("method,name", FACILITATOR_URLS)
def test_an_unknown_session_is_a_404(client, facilitator, method, name):
    client.force_login(facilitator)
    assert getattr(client, method)(reverse(name, args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "method,name", [("get", "meetings:complete"), ("post", "meetings:check_in_qr")]
)
def test_the_wrong_method_is_a_405(client, started, facilitator, method, name):
    client.force_login(facilitator)
    assert getattr(client, method)(reverse(name, args=[started.pk])).status_code == 405
    assert Session.objects.get(pk=started.pk).status == "scheduled"


def test_my_sessions_needs_an_account(client, db):
    response = client.get(reverse("meetings:mine"))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_my_sessions_lists_the_sessions_i_run_with_role_colleagues_places_and_waiting(
    client, workshop, facilitator, organisation, programme
):
    session = make_session(workshop, capacity=1, mode="online")
    colleague = make_facilitator(organisation, programme, first_name="Priya", last_name="Shah")
    put_on_roster(session, facilitator, "co")
    put_on_roster(session, colleague, "lead")
    make_booking(session)
    make_booking(session, status="waiting")
    client.force_login(facilitator)
    html = client.get(reverse("meetings:mine")).content.decode()
    assert workshop.title in html
    assert "Co-facilitator" in html and "Priya Shah (lead facilitator)" in html
    assert "1 of 1 taken" in html and "1 waiting" in html
    assert "https://meet.example/riverside-online" in html
    assert reverse("meetings:roster", args=[session.pk]) in html


def test_my_sessions_leaves_out_others_and_cancelled_sessions(client, workshop, facilitator):
    theirs = make_session(workshop, venue_name="Someone Else's Hall")
    cancelled = make_session(
        workshop, venue_name="Closed Hall", status="cancelled", cancellation_reason="Snow"
    )
    put_on_roster(cancelled, facilitator)
    client.force_login(facilitator)
    html = client.get(reverse("meetings:mine")).content.decode()
    assert theirs.venue_name not in html and cancelled.venue_name not in html
    assert "You are not on the roster of any upcoming session." in html


def test_my_sessions_lists_a_past_session_still_to_complete(client, workshop, facilitator):
    past = make_session(workshop, starts_at=timezone.now() - 5 * HOUR, venue_name="Old Mill")
    put_on_roster(past, facilitator)
    client.force_login(facilitator)
    html = client.get(reverse("meetings:mine")).content.decode()
    assert "Still to complete" in html and "Old Mill" in html


def test_my_sessions_flags_a_roster_problem(client, session, facilitator):
    put_on_roster(session, facilitator)
    Session.objects.filter(pk=session.pk).update(roster_problem="No lead facilitator.")
    client.force_login(facilitator)
    assert "No lead facilitator." in client.get(reverse("meetings:mine")).content.decode()


def _my_sessions_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(reverse("meetings:mine")).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_my_sessions_query_count_does_not_grow_with_sessions_or_bookings(
    client, workshop, facilitator, organisation, programme, django_assert_num_queries, count
):
    colleague = make_facilitator(organisation, programme)
    for day in range(count):
        upcoming = make_session(workshop, days_ahead=day + 1)
        put_on_roster(upcoming, facilitator)
        put_on_roster(upcoming, colleague, "co")
        for _ in range(count):
            make_booking(upcoming)
        past = make_session(workshop, starts_at=timezone.now() - (day + 3) * HOUR)
        put_on_roster(past, facilitator)
    client.force_login(facilitator)
    client.get(reverse("meetings:mine"))  # warms the layout cache
    # Five for the sessions, one for the debriefs still to file (`debriefs.awaiting_debrief`).
    _my_sessions_queries(client, django_assert_num_queries, 6)


def test_the_roster_shows_first_names_and_access_needs_but_no_contact_details(
    client, started, facilitator
):
    make_booking(
        started, first_name="Ana", email="ana@example.org", access_needs="Step-free access"
    )
    make_booking(started, first_name="Ben", email="", phone="+447700900123")
    make_booking(started, first_name="Wes", status="waiting")
    client.force_login(facilitator)
    html = client.get(reverse("meetings:roster", args=[started.pk])).content.decode()
    assert "Ana" in html and "Step-free access" in html and "Ben" in html
    assert "ana@example.org" not in html and "7700900123" not in html
    assert "Wes" not in html and "1 person" in html


def test_the_roster_shows_the_plan_protocol_safeguarding_and_crisis_lines(
    client, started, facilitator, organisation
):
    client.force_login(facilitator)
    html = client.get(reverse("meetings:roster", args=[started.pk])).content.decode()
    assert "Watch for anyone who seems withdrawn" in html  # a facilitator note
    assert "Stay with the person and call the crisis line." in html
    assert organisation.safeguarding_contact_name in html
    assert "Crisis lines" in html
    assert reverse("workshops:facilitator_pack", args=[started.workshop.pk]) in html
    assert "Warning signs checklist" in html  # a facilitator material


def test_the_roster_shows_the_check_in_code_and_its_qr(client, started, facilitator):
    client.force_login(facilitator)
    html = client.get(reverse("meetings:roster", args=[started.pk])).content.decode()
    assert started.check_in_code in html
    assert reverse("meetings:check_in_qr", args=[started.pk]) in html


@pytest.mark.parametrize("size", [1, 8])
def test_the_roster_query_count_does_not_grow_with_bookings(
    client, started, facilitator, django_assert_num_queries, size
):
    for _ in range(size):
        make_booking(started, access_needs="Hearing loop")
    make_booking(started, status="waiting")
    client.force_login(facilitator)
    url = reverse("meetings:roster", args=[started.pk])
    client.get(url)  # warms the layout cache
    # Seven for the roster and register, one for the debrief's state, one for local services.
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_saving_attendance_marks_who_came_and_the_walk_ins(client, started, facilitator):
    ana, ben = make_booking(started, first_name="Ana"), make_booking(started, first_name="Ben")
    client.force_login(facilitator)
    response = client.post(
        reverse("meetings:roster", args=[started.pk]),
        {"came": [ana.pk], "walk_ins": "2", "shown_walk_ins": "0"},
    )
    assert response.status_code == 302
    assert [Booking.objects.get(pk=b.pk).attended for b in (ana, ben)] == [True, False]
    assert Session.objects.get(pk=started.pk).walk_ins == 2


def test_the_register_is_a_checkbox_per_participant_labelled_with_their_name(
    client, started, facilitator
):
    ana = make_booking(started, first_name="Ana")
    client.force_login(facilitator)
    response = client.get(reverse("meetings:roster", args=[started.pk]))
    html = response.content.decode()
    checkbox = response.context["rows"][0][1]
    assert f'<label for="{checkbox.id_for_label}">Ana</label>' in html
    assert f'value="{ana.pk}"' in html
    assert "Walk-ins (people who came without booking)" in html and "Save attendance" in html


def test_saving_attendance_with_another_sessions_booking_changes_nothing(
    client, workshop, started, facilitator
):
    ana = make_booking(started)
    foreign = make_booking(make_session(workshop, starts_at=started.starts_at))
    client.force_login(facilitator)
    response = client.post(
        reverse("meetings:roster", args=[started.pk]),
        {"came": [ana.pk, foreign.pk], "walk_ins": "3"},
    )
    assert response.status_code == 400
    assert not Booking.objects.filter(attended=True).exists()
    assert Session.objects.get(pk=started.pk).walk_ins == 0


@pytest.mark.parametrize("bad", [{"came": ["x"], "walk_ins": "1"}, {"walk_ins": "-1"}, {}])
def test_saving_attendance_with_bad_input_is_a_400(client, started, facilitator, bad):
    make_booking(started)
    client.force_login(facilitator)
    assert client.post(reverse("meetings:roster", args=[started.pk]), bad).status_code == 400
    assert Session.objects.get(pk=started.pk).walk_ins == 0


def test_a_session_more_than_thirty_minutes_away_has_no_register(client, session, facilitator):
    put_on_roster(session, facilitator)
    ana = make_booking(session)
    client.force_login(facilitator)
    url = reverse("meetings:roster", args=[session.pk])
    assert "Save attendance" not in client.get(url).content.decode()
    assert client.post(url, {"came": [ana.pk], "walk_ins": "1"}).status_code == 400
    assert not Booking.objects.get(pk=ana.pk).attended


def test_completing_records_the_attendance_count(client, started, facilitator):
    make_booking(started, attended=True)
    make_booking(started)
    Session.objects.filter(pk=started.pk).update(walk_ins=2)
    client.force_login(facilitator)
    response = client.post(reverse("meetings:complete", args=[started.pk]), follow=True)
    stored = Session.objects.get(pk=started.pk)
    assert (stored.status, stored.attendance_count) == ("completed", 3)
    assert "3 people came" in response.content.decode()


def test_completing_twice_gives_a_clear_message_and_changes_nothing(client, started, facilitator):
    client.force_login(facilitator)
    url = reverse("meetings:complete", args=[started.pk])
    client.post(url)
    first = Session.objects.get(pk=started.pk).completed_at
    response = client.post(url)
    assert response.status_code == 400
    assert "already completed" in response.content.decode()
    assert Session.objects.get(pk=started.pk).completed_at == first


def test_a_session_that_has_not_started_cannot_be_completed(client, session, facilitator):
    put_on_roster(session, facilitator)
    client.force_login(facilitator)
    assert client.post(reverse("meetings:complete", args=[session.pk])).status_code == 400
    assert Session.objects.get(pk=session.pk).status == "scheduled"


def test_the_qr_code_is_a_private_svg(client, started, facilitator):
    client.force_login(facilitator)
    response = client.get(reverse("meetings:check_in_qr", args=[started.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"
    assert b"<svg" in response.content


def test_an_out_of_range_booking_id_in_the_register_is_a_400(client, started, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("meetings:roster", args=[started.pk]), {"came": [str(10**30)], "walk_ins": "0"}
    )
    assert response.status_code == 400


def test_the_roster_of_an_online_session_gives_its_joining_link(client, workshop, facilitator):
    online = make_session(workshop, mode="online")
    put_on_roster(online, facilitator)
    client.force_login(facilitator)
    html = client.get(reverse("meetings:roster", args=[online.pk])).content.decode()
    assert 'href="https://meet.example/riverside-online"' in html


def test_the_roster_page_is_never_cached(client, started, facilitator):
    client.force_login(facilitator)
    response = client.get(reverse("meetings:roster", args=[started.pk]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_qr_code_decodes_to_the_check_in_page_with_the_code(client, started, facilitator):
    client.force_login(facilitator)
    svg = client.get(reverse("meetings:check_in_qr", args=[started.pk])).content.decode()
    path = reverse("meetings:check_in", args=[started.pk])
    assert decode_svg_qr(svg) == f"http://testserver{path}?code={started.check_in_code}"
