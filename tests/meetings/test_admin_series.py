"""Staff create and edit a series through the admin: its dates are listed with its roster, and
an edit reaches its future sessions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings.choices import Role
from peerpath.meetings.models import RosterAssignment, Session, SessionSeries

from .factories import make_facilitator

pytestmark = pytest.mark.django_db

ADD_URL = reverse("meetings_series:add")


def series_data(workshop, lead, *, co=(), **overrides):
    data = {
        "workshop": workshop.pk,
        "frequency": "weekly",
        "starts_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "ends_on": (timezone.localdate() + datetime.timedelta(days=22)).isoformat(),
        "start_time": "19:00",
        "duration_minutes": 90,
        "mode": "in_person",
        "venue_name": "Riverside Community Centre",
        "address": "12 Mill Lane, Riverside",
        "accessibility_notes": "",
        "joining_link": "",
        "capacity": 12,
        "booking_opens_days_before": "",
        "booking_closes_hours_before": 0,
        "lead": lead.pk,
        "co_facilitators": [person.pk for person in co],
    }
    data.update(overrides)
    return data


def test_creating_a_series_lists_its_sessions_with_its_roster(
    client, editor, workshop, facilitator, organisation, programme
):
    co = make_facilitator(organisation, programme)
    client.force_login(editor)
    response = client.post(ADD_URL, series_data(workshop, facilitator, co=[co]))
    assert response.status_code == 302
    series = SessionSeries.objects.get()
    sessions = Session.objects.filter(series=series)
    assert sessions.count() == 4
    for session in sessions:
        assert set(session.roster.values_list("facilitator", "role")) == {
            (facilitator.pk, Role.LEAD),
            (co.pk, Role.CO),
        }
        assert session.local_start.strftime("%H:%M") == "19:00"


def test_a_series_with_an_uncertified_lead_is_not_created(
    client, editor, workshop, organisation, programme
):
    lapsed = make_facilitator(organisation, programme, status="expired")
    client.force_login(editor)
    response = client.post(ADD_URL, series_data(workshop, lapsed))
    assert response.status_code == 200
    assert "does not hold a practising certificate" in response.content.decode()
    assert not SessionSeries.objects.exists()
    assert not Session.objects.exists()


def test_a_series_cannot_have_another_organisations_facilitator(
    client, editor, workshop, facilitator, other_organisation, programme
):
    northside = make_facilitator(other_organisation, programme)
    client.force_login(editor)
    response = client.post(ADD_URL, series_data(workshop, facilitator, co=[northside]))
    assert response.status_code == 200
    assert not SessionSeries.objects.exists()
    assert not RosterAssignment.objects.exists()


def test_editing_the_start_time_moves_the_future_sessions(client, editor, workshop, facilitator):
    client.force_login(editor)
    client.post(ADD_URL, series_data(workshop, facilitator))
    series = SessionSeries.objects.get()
    response = client.post(
        reverse("meetings_series:edit", args=[series.pk]),
        series_data(workshop, facilitator, start_time="18:00"),
    )
    assert response.status_code == 302
    starts = {s.local_start.strftime("%H:%M") for s in Session.objects.filter(series=series)}
    assert starts == {"18:00"}


def test_changing_the_series_lead_changes_its_future_sessions(
    client, editor, workshop, facilitator, organisation, programme
):
    client.force_login(editor)
    client.post(ADD_URL, series_data(workshop, facilitator))
    series = SessionSeries.objects.get()
    other = make_facilitator(organisation, programme)
    client.post(reverse("meetings_series:edit", args=[series.pk]), series_data(workshop, other))
    leads = set(
        RosterAssignment.objects.filter(session__series=series, role=Role.LEAD).values_list(
            "facilitator", flat=True
        )
    )
    assert leads == {other.pk}


def test_a_series_cannot_be_deleted_in_the_admin(client, editor, workshop, facilitator):
    client.force_login(editor)
    client.post(ADD_URL, series_data(workshop, facilitator))
    series = SessionSeries.objects.get()
    client.post(reverse("meetings_series:delete", args=[series.pk]))
    assert SessionSeries.objects.filter(pk=series.pk).exists()


def test_the_series_form_opens(client, editor, workshop, facilitator):
    client.force_login(editor)
    assert client.get(ADD_URL).status_code == 200
    client.post(ADD_URL, series_data(workshop, facilitator))
    series = SessionSeries.objects.get()
    page = client.get(reverse("meetings_series:edit", args=[series.pk])).content.decode()
    assert facilitator.email in page
