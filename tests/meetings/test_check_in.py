"""The public check-in page participants use in the room (`/groups/<pk>/check-in/`)."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings.attendance import NOT_MATCHED
from peerpath.meetings.models import Booking, Session

from .factories import make_booking, make_session, put_on_roster

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


@pytest.fixture
def started(workshop):
    return make_session(workshop, starts_at=timezone.now() - datetime.timedelta(minutes=10))


def url(session):
    return reverse("meetings:check_in", args=[session.pk])


def attended(booking):
    return Booking.objects.get(pk=booking.pk).attended


def test_the_page_prefills_the_code_from_the_qr_link(client, started):
    response = client.get(url(started), {"code": started.check_in_code})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{started.check_in_code}"' in html
    assert "Check in" in html and "I didn't book" in html


def test_checking_in_with_the_code_and_e_mail_marks_the_booking(client, started):
    ana = make_booking(started, email="ana@example.org")
    response = client.post(
        url(started),
        {"code": started.check_in_code, "contact": "ana@example.org", "action": "booked"},
        follow=True,
    )
    assert attended(ana)
    assert Booking.objects.get(pk=ana.pk).checked_in_at is not None
    assert "You&#x27;re checked in." in response.content.decode()


def test_checking_in_with_the_code_and_mobile_number_marks_the_booking(client, started):
    ben = make_booking(started, email="", phone="+447700900123")
    response = client.post(
        url(started),
        {"code": started.check_in_code, "contact": "07700 900123", "action": "booked"},
    )
    assert response.status_code == 302
    assert attended(ben)


def test_i_didnt_book_counts_a_walk_in(client, started):
    response = client.post(url(started), {"code": started.check_in_code, "action": "walk_in"})
    assert response.status_code == 302
    assert Session.objects.get(pk=started.pk).walk_ins == 1


def test_a_signed_in_participant_checks_in_with_one_click(client, started, user):
    booking = make_booking(started, user=user)
    client.force_login(user)
    page = client.get(url(started), {"code": started.check_in_code}).content.decode()
    assert "Check me in" in page
    client.post(url(started), {"code": started.check_in_code, "action": "account"})
    assert attended(booking)


def test_the_account_button_without_an_account_checks_in_nobody(client, started, user):
    booking = make_booking(started, user=user)
    response = client.post(url(started), {"code": started.check_in_code, "action": "account"})
    assert response.status_code == 400
    assert not attended(booking)


def test_a_wrong_code_is_refused_without_saying_whether_the_address_booked(client, started):
    ana = make_booking(started, email="ana@example.org")
    wrong_code = client.post(
        url(started), {"code": "ZZZZZZ", "contact": "ana@example.org", "action": "booked"}
    )
    unknown = client.post(
        url(started),
        {"code": started.check_in_code, "contact": "nobody@example.org", "action": "booked"},
    )
    assert wrong_code.status_code == unknown.status_code == 400
    assert str(NOT_MATCHED) in wrong_code.content.decode()
    assert wrong_code.context["error"] == unknown.context["error"]
    assert not attended(ana)


def test_a_walk_in_with_a_wrong_code_is_not_counted(client, started):
    response = client.post(url(started), {"code": "ZZZZZZ", "action": "walk_in"})
    assert response.status_code == 400
    assert Session.objects.get(pk=started.pk).walk_ins == 0


@pytest.mark.parametrize(
    "data",
    [
        {"code": "", "action": "walk_in"},
        {"code": "ABC123", "contact": "", "action": "booked"},
        {"code": "ABC123", "action": "dance"},
        {"code": "A" * 500, "action": "walk_in"},
    ],
    ids=["no-code", "no-contact", "unknown-action", "long-code"],
)
def test_bad_input_is_a_400_and_changes_nothing(client, started, data):
    assert client.post(url(started), data).status_code == 400
    assert Session.objects.get(pk=started.pk).walk_ins == 0


@pytest.mark.parametrize(
    "starts_in",
    [datetime.timedelta(hours=2), -datetime.timedelta(hours=3)],
    ids=["before-the-window", "after-the-window"],
)
def test_check_in_outside_its_window_is_refused(client, workshop, starts_in):
    session = make_session(workshop, starts_at=timezone.now() + starts_in)
    ana = make_booking(session, email="ana@example.org")
    page = client.get(url(session)).content.decode()
    response = client.post(
        url(session),
        {"code": session.check_in_code, "contact": "ana@example.org", "action": "booked"},
    )
    assert 'name="contact"' not in page
    assert response.status_code == 400
    assert not attended(ana)


def test_a_session_of_an_unpublished_workshop_has_no_check_in_page(client, started):
    started.workshop.unpublish()
    assert client.get(url(started)).status_code == 404


def test_an_unknown_session_is_a_404(client, db):
    assert client.get(reverse("meetings:check_in", args=[999999])).status_code == 404


def test_check_in_refuses_other_methods(client, started):
    assert client.put(url(started)).status_code == 405


@override_settings(PEERPATH_CHECK_IN_RATE_LIMIT=(2, 60))
def test_too_many_check_ins_from_one_client_get_a_429(client, started):
    data = {"code": started.check_in_code, "action": "walk_in"}
    client.post(url(started), data)
    client.post(url(started), data)
    response = client.post(url(started), data)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert Session.objects.get(pk=started.pk).walk_ins == 2


def test_the_qr_code_encodes_the_check_in_page_with_the_code(client, started, facilitator):
    put_on_roster(started, facilitator)
    client.force_login(facilitator)
    roster = client.get(reverse("meetings:roster", args=[started.pk]))
    assert roster.context["check_in_url"].endswith(f"{url(started)}?code={started.check_in_code}")


def test_an_out_of_range_session_id_is_a_404(client, db):
    assert client.get(reverse("meetings:check_in", args=[10**30])).status_code == 404


def test_an_unknown_action_says_which_button_to_press(client, started):
    response = client.post(url(started), {"code": started.check_in_code, "action": "dance"})
    assert "Press “Check in” or “I didn&#x27;t book”." in response.content.decode()
