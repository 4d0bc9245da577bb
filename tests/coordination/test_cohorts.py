"""Cohorts (coordination/cohorts.py and cohorts_admin.py): making and editing them within the
organisation's own programmes, members and their enrolment, archiving, the listing, and access."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerpath.coordination.cohorts import add_members
from peerpath.coordination.models import Cohort, CohortMember
from peerpath.training.models import Enrolment
from tests.certificates.factories import make_programme
from tests.coordination.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organisation, runs_programme):
    cohort = Cohort.objects.create(organisation=organisation, name="Spring volunteers")
    cohort.programmes.add(runs_programme)
    return cohort


def form_data(organisation, programmes, **changes):
    data = {
        "organisation": organisation.pk,
        "name": "Autumn volunteers",
        "programmes": [p.pk for p in programmes],
        "starts_on": "2027-09-01",
        "target_on": "2027-12-01",
        "notes": "",
    }
    data.update(changes)
    return data


def test_a_coordinator_makes_a_cohort_of_their_organisation(
    client, coordinator, organisation, runs_programme
):
    client.force_login(coordinator)
    response = client.post(
        reverse("coordination_cohorts:add"), form_data(organisation, [runs_programme])
    )
    cohort = Cohort.objects.get(name="Autumn volunteers")
    assert response.status_code == 302
    assert cohort.organisation == organisation and cohort.created_by == coordinator
    assert list(cohort.programmes.all()) == [runs_programme]


def test_a_programme_the_organisation_does_not_run_is_refused(
    client, coordinator, organisation, home_page
):
    elsewhere = make_programme(home_page, title="Elsewhere", code="ELS")
    client.force_login(coordinator)
    response = client.post(
        reverse("coordination_cohorts:add"), form_data(organisation, [elsewhere])
    )
    assert response.status_code == 200
    assert not Cohort.objects.filter(name="Autumn volunteers").exists()


def test_a_target_before_the_start_is_refused(client, coordinator, organisation, runs_programme):
    client.force_login(coordinator)
    response = client.post(
        reverse("coordination_cohorts:add"),
        form_data(organisation, [runs_programme], target_on="2027-08-01"),
    )
    assert "The target date cannot be before the start." in response.content.decode()
    assert not Cohort.objects.exists()


def test_a_cohort_of_another_organisation_cannot_be_made(
    client, coordinator, other_organisation, runs_programme
):
    client.force_login(coordinator)
    response = client.post(
        reverse("coordination_cohorts:add"), form_data(other_organisation, [runs_programme])
    )
    assert response.status_code == 200
    assert not Cohort.objects.exists()


def test_a_duplicate_name_is_a_clear_error(client, coordinator, organisation, cohort):
    client.force_login(coordinator)
    response = client.post(
        reverse("coordination_cohorts:add"),
        form_data(organisation, list(cohort.programmes.all()), name=cohort.name),
    )
    assert "already has a cohort of that name" in response.content.decode()


def test_joining_a_cohort_enrols_the_member_once(cohort, member, runs_programme):
    add_members(cohort, [member])
    add_members(cohort, [member])
    assert CohortMember.objects.filter(cohort=cohort, user=member).count() == 1
    assert Enrolment.objects.filter(user=member, programme=runs_programme).count() == 1


def test_only_members_of_the_organisation_can_join(cohort, other_member):
    with pytest.raises(ValueError):
        add_members(cohort, [other_member])
    assert not CohortMember.objects.exists()


def test_adding_a_programme_enrols_existing_members(
    client, coordinator, organisation, cohort, member, home_page
):
    add_members(cohort, [member])
    second = make_programme(home_page, title="Mentoring", code="MEN")
    second.organisations.add(organisation)
    second.save()
    client.force_login(coordinator)
    response = client.post(
        reverse("coordination_cohorts:edit", args=[cohort.pk]),
        form_data(organisation, [*cohort.programmes.all(), second], name=cohort.name),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Enrolment.objects.filter(user=member, programme=second).exists()


def test_the_members_page_adds_members_from_a_search(client, coordinator, cohort, organisation):
    wanted = make_member(organisation, first_name="Wendy", email="wendy@riverside.example")
    make_member(organisation, first_name="Other")
    client.force_login(coordinator)
    url = reverse("coordination_cohorts:members", args=[cohort.pk])
    page = client.get(url, {"q": "wendy"}).content.decode()
    assert "wendy@riverside.example" in page and "Other" not in page
    client.post(url, {"user": [wanted.pk]})
    assert CohortMember.objects.filter(cohort=cohort, user=wanted).exists()


def test_the_members_page_ignores_people_from_another_organisation(
    client, coordinator, cohort, other_member
):
    client.force_login(coordinator)
    client.post(
        reverse("coordination_cohorts:members", args=[cohort.pk]), {"user": [other_member.pk]}
    )
    assert not CohortMember.objects.exists()


def test_removing_a_member_keeps_their_enrolment(client, coordinator, cohort, member):
    add_members(cohort, [member])
    place = CohortMember.objects.get(user=member)
    client.force_login(coordinator)
    client.post(reverse("coordination_cohorts:remove_member", args=[cohort.pk, place.pk]))
    assert not CohortMember.objects.exists()
    assert Enrolment.objects.filter(user=member).exists()


def test_archiving_moves_the_cohort_out_of_the_listing(client, coordinator, cohort):
    client.force_login(coordinator)
    client.post(reverse("coordination_cohorts:archive", args=[cohort.pk]))
    cohort.refresh_from_db()
    assert cohort.archived_at is not None
    assert cohort.name not in client.get(reverse("coordination_cohorts:index")).content.decode()
    archived = client.get(reverse("coordination_cohorts:index"), {"archived": "1"})
    assert cohort.name in archived.content.decode()


def test_the_listing_shows_members_completion_and_stuck(
    client, coordinator, cohort, organisation, member
):
    done = make_member(organisation)
    add_members(cohort, [member, done])
    Enrolment.objects.filter(user=done).update(completed_at=timezone.now(), percent_complete=100)
    Enrolment.objects.filter(user=member).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=30), percent_complete=0
    )
    client.force_login(coordinator)
    response = client.get(reverse("coordination_cohorts:index"))
    (listed,) = response.context["cohorts"]
    assert listed.member_count == 2
    assert listed.summary.percent == 50 and listed.summary.stuck == 1


def test_the_listing_shows_only_the_coordinators_cohorts(
    client, coordinator, cohort, other_organisation
):
    Cohort.objects.create(organisation=other_organisation, name="Northside winter")
    client.force_login(coordinator)
    page = client.get(reverse("coordination_cohorts:index")).content.decode()
    assert cohort.name in page and "Northside winter" not in page


@pytest.mark.parametrize("name", ["coach", "edit", "archive", "members", "nudge"])
def test_another_organisations_cohort_is_a_404_on_every_screen(
    client, other_coordinator, cohort, name
):
    client.force_login(other_coordinator)
    url = reverse(f"coordination_cohorts:{name}", args=[cohort.pk])
    assert client.get(url).status_code == 404
    # The coach view only reads (a POST is refused as a method); the others change things.
    assert client.post(url).status_code == (405 if name == "coach" else 404)
    assert Cohort.objects.get(pk=cohort.pk).archived_at is None


@pytest.mark.parametrize("who", ["editor", "safeguarding_lead", "member"])
def test_people_who_do_not_coordinate_are_refused(client, request, cohort, who):
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("coordination_cohorts:index"),
        reverse("coordination_cohorts:add"),
        reverse("coordination_cohorts:coach", args=[cohort.pk]),
    ):
        assert client.get(url).status_code in {302, 403}


def test_anonymous_visitors_are_sent_to_log_in(client, cohort):
    response = client.get(reverse("coordination_cohorts:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_listing_costs_the_same_queries_for_more_members(
    client, coordinator, cohort, organisation, django_assert_num_queries
):
    second = Cohort.objects.create(organisation=organisation, name="Summer volunteers")
    second.programmes.set(cohort.programmes.all())
    add_members(cohort, [make_member(organisation) for _ in range(2)])
    client.force_login(coordinator)
    client.get(reverse("coordination_cohorts:index"))  # warm the programme structure cache
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("coordination_cohorts:index"))
    add_members(cohort, [make_member(organisation) for _ in range(5)])
    add_members(second, [make_member(organisation) for _ in range(5)])
    with django_assert_num_queries(len(captured)):
        assert client.get(reverse("coordination_cohorts:index")).status_code == 200


def test_ids_that_are_digits_but_not_numbers_are_ignored_not_a_500(
    client, coordinator, cohort, member
):
    """Found by the fuzz tests: "²" passes str.isdigit but not int()."""
    client.force_login(coordinator)
    members = reverse("coordination_cohorts:members", args=[cohort.pk])
    assert client.post(members, {"user": ["²"]}).status_code == 302
    assert not CohortMember.objects.exists()
    add_members(cohort, [member])
    nudge = reverse("coordination_cohorts:nudge", args=[cohort.pk])
    for data in ({"only": "²", "send": "1"}, {"member": ["²", "x"], "send": "1"}):
        response = client.post(nudge, data)
        assert response.status_code == 302  # nobody chosen: back to the coach view
    assert CohortMember.objects.get(cohort=cohort, user=member).last_nudged_at is None
