"""Each organisation's staff see and change only their own sessions and series in the admin;
superusers see all; the home panel flags sessions to their own organisation's staff only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings.models import Session, SessionSeries
from tests.factories import UserFactory
from tests.workshops.factories import make_workshop

from .factories import make_facilitator, make_series, make_session, put_on_roster
from .test_admin_sessions import ADD_URL, session_data

pytestmark = pytest.mark.django_db

INDEX_URL = reverse("meetings_sessions:index")
SERIES_INDEX_URL = reverse("meetings_series:index")


@pytest.fixture
def northside_workshop(other_organisation, programme):
    return make_workshop(
        other_organisation.index_page, programme=programme, title="Northside walking group"
    )


@pytest.fixture
def northside_session(northside_workshop):
    return make_session(northside_workshop)


def test_staff_list_only_their_own_organisations_sessions(
    client, editor, session, northside_session
):
    client.force_login(editor)
    page = client.get(INDEX_URL).content.decode()
    assert session.workshop.title in page
    assert "Northside walking group" not in page


def test_another_organisations_session_cannot_be_opened_for_editing(
    client, editor, northside_session
):
    client.force_login(editor)
    response = client.get(reverse("meetings_sessions:edit", args=[northside_session.pk]))
    assert response.status_code == 404


def test_another_organisations_session_cannot_be_inspected(client, editor, northside_session):
    client.force_login(editor)
    response = client.get(reverse("meetings_sessions:inspect", args=[northside_session.pk]))
    assert response.status_code == 404


def test_another_organisations_session_cannot_be_deleted(client, editor, northside_session):
    client.force_login(editor)
    response = client.post(reverse("meetings_sessions:delete", args=[northside_session.pk]))
    assert response.status_code == 404
    assert Session.objects.filter(pk=northside_session.pk).exists()


def test_another_organisations_session_cannot_be_cancelled(client, editor, northside_session):
    client.force_login(editor)
    response = client.post(
        reverse("meetings_sessions:cancel", args=[northside_session.pk]), {"reason": "Because."}
    )
    assert response.status_code == 404
    northside_session.refresh_from_db()
    assert northside_session.status == "scheduled"


def test_posting_another_organisations_workshop_id_is_refused(
    client, editor, northside_workshop, facilitator
):
    client.force_login(editor)
    response = client.post(ADD_URL, session_data(northside_workshop, facilitator))
    assert response.status_code == 200
    assert "Choose one of your organisation" in response.content.decode()
    assert not Session.objects.exists()


def test_the_workshop_choices_are_the_organisations_own(
    client, editor, workshop, northside_workshop
):
    client.force_login(editor)
    page = client.get(ADD_URL).content.decode()
    assert workshop.title in page
    assert northside_workshop.title not in page


def test_staff_list_only_their_own_organisations_series(
    client, editor, workshop, northside_workshop
):
    make_series(workshop)
    make_series(northside_workshop)
    client.force_login(editor)
    page = client.get(SERIES_INDEX_URL).content.decode()
    assert workshop.title in page
    assert "Northside walking group" not in page


def test_another_organisations_series_cannot_be_opened_for_editing(
    client, editor, northside_workshop
):
    series = make_series(northside_workshop)
    client.force_login(editor)
    response = client.get(reverse("meetings_series:edit", args=[series.pk]))
    assert response.status_code == 404
    assert SessionSeries.objects.filter(pk=series.pk).exists()


def test_a_superuser_sees_every_organisations_sessions(
    client, staff_user, session, northside_session
):
    client.force_login(staff_user)
    page = client.get(INDEX_URL).content.decode()
    assert session.workshop.title in page
    assert "Northside walking group" in page


def test_a_user_without_session_permissions_is_refused(client, user, session):
    client.force_login(user)
    response = client.get(INDEX_URL)
    assert response.status_code in (302, 403)
    assert session.workshop.title not in response.content.decode()


def test_admin_staff_without_session_permissions_get_the_permission_denial(
    client, session, organisation
):
    person = UserFactory()
    person.groups.add(organisation.editors_group)
    organisation.editors_group.permissions.filter(
        content_type__app_label="peerpath_meetings"
    ).delete()
    client.force_login(person)
    response = client.get(reverse("meetings_sessions:edit", args=[session.pk]))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_the_home_panel_shows_a_flagged_session_to_its_organisations_staff(client, editor, session):
    Session.objects.filter(pk=session.pk).update(roster_problem="Sam's certificate lapsed.")
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Sam&#x27;s certificate lapsed." in page
    assert reverse("meetings_sessions:edit", args=[session.pk]) in page


def test_the_home_panel_hides_another_organisations_flagged_session(client, other_editor, session):
    Session.objects.filter(pk=session.pk).update(roster_problem="Sam's certificate lapsed.")
    client.force_login(other_editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Sam&#x27;s certificate lapsed." not in page


def test_the_home_panel_warns_of_a_session_this_week_with_no_lead(client, editor, workshop):
    soon = make_session(workshop, days_ahead=3)
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("meetings_sessions:edit", args=[soon.pk]) in page


def test_the_home_panel_is_absent_when_every_roster_is_fine(client, editor, session, facilitator):
    put_on_roster(session, facilitator)
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Sessions that need a facilitator" not in page


def test_the_listing_flags_a_session_with_a_roster_problem(client, editor, session):
    Session.objects.filter(pk=session.pk).update(roster_problem="No lead facilitator.")
    client.force_login(editor)
    page = client.get(INDEX_URL).content.decode()
    assert "Roster problem:" in page
    assert "No lead facilitator." in page


def test_the_flagged_filter_lists_only_flagged_sessions(client, editor, workshop):
    flagged = make_session(workshop, days_ahead=20, venue_name="Flagged hall")
    make_session(workshop, days_ahead=21, venue_name="Fine hall")
    Session.objects.filter(pk=flagged.pk).update(roster_problem="No lead facilitator.")
    client.force_login(editor)
    response = client.get(INDEX_URL, {"flagged": "true"})
    sessions = list(response.context["object_list"])
    assert sessions == [flagged]


def test_upcoming_sessions_are_listed_first_soonest_first(client, editor, workshop):
    later = make_session(workshop, days_ahead=20)
    sooner = make_session(workshop, days_ahead=5)
    past = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(editor)
    sessions = list(client.get(INDEX_URL).context["object_list"])
    assert sessions == [sooner, later, past]


def test_another_organisations_facilitator_in_the_editors_own_org_list_is_not_offered(
    client, editor, workshop, other_organisation, programme
):
    northside = make_facilitator(other_organisation, programme, email="n@northside.example")
    client.force_login(editor)
    page = client.get(ADD_URL).content.decode()
    assert northside.email not in page


def test_the_organisation_filter_offers_only_the_staffs_own_organisations(
    client, editor, session, other_organisation
):
    client.force_login(editor)
    page = client.get(INDEX_URL).content.decode()
    assert other_organisation.name not in page


def test_the_sessions_menu_is_in_the_staffs_admin(client, editor):
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX_URL in page
    assert SERIES_INDEX_URL in page


def test_the_organisation_filter_offers_a_superuser_every_organisation(
    client, staff_user, session, other_organisation
):
    client.force_login(staff_user)
    page = client.get(INDEX_URL).content.decode()
    assert other_organisation.name in page


@pytest.mark.parametrize("view", ["edit", "inspect", "delete"])
def test_a_made_up_session_id_is_not_found(client, editor, view):
    client.force_login(editor)
    response = client.get(f"/admin/meetings/sessions/{view}/not-a-number/")
    assert response.status_code == 404
