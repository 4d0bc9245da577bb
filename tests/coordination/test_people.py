"""The People list (coordination/people.py and people_admin.py): scope, states from the one status
rule, filters, search, sort, export, the two actions, access, and constant queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from peerpath.certificates.status import CertificateStatus
from peerpath.coordination.cohorts import add_members
from peerpath.coordination.models import Cohort, CohortMember
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.roles import Role
from peerpath.organisations.setup import add_staff
from peerpath.training.models import Enrolment
from peerpath.training.progress.commands import enrol
from tests.certificates.factories import certificate_in_status
from tests.coordination.conftest import make_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("coordination_people:index")


@pytest.fixture
def cohort(organisation, runs_programme):
    cohort = Cohort.objects.create(organisation=organisation, name="Spring volunteers")
    cohort.programmes.add(runs_programme)
    return cohort


def names(response):
    return [row.name for row in response.context["rows"]]


def test_a_coordinator_sees_their_members_and_nobody_elses(
    client, coordinator, member, other_member
):
    client.force_login(coordinator)
    response = client.get(PEOPLE)
    assert response.status_code == 200
    assert member.get_full_name() in names(response)
    assert other_member.get_full_name() not in names(response)


def test_the_organisation_filter_offers_only_their_own(client, coordinator, other_organisation):
    client.force_login(coordinator)
    response = client.get(PEOPLE, {"organisation": other_organisation.pk})
    assert response.context["form"].errors


def test_a_learner_in_training_shows_their_percent(client, coordinator, member, runs_programme):
    enrol(member, runs_programme)
    Enrolment.objects.filter(user=member).update(started_at=timezone.now(), percent_complete=40)
    client.force_login(coordinator)
    page = client.get(PEOPLE).content.decode()
    assert "In training (40%)" in page


def test_a_certified_learner_shows_until_when(client, coordinator, member, runs_programme):
    enrol(member, runs_programme)
    certificate = certificate_in_status(member, runs_programme, CertificateStatus.VALID)
    client.force_login(coordinator)
    (row,) = client.get(PEOPLE).context["rows"]
    (state,) = row.programme_states
    assert state.until == certificate.expires_on
    assert "until" in str(state.text)


def test_the_state_filter_uses_the_one_status_rule(
    client, coordinator, organisation, member, runs_programme
):
    revoked = make_member(organisation, first_name="Rev", last_name="Oked")
    for user in (member, revoked):
        enrol(user, runs_programme)
    certificate_in_status(revoked, runs_programme, CertificateStatus.REVOKED)
    client.force_login(coordinator)
    assert names(client.get(PEOPLE, {"state": "revoked"})) == ["Rev Oked"]
    assert revoked.get_full_name() not in names(client.get(PEOPLE, {"state": "not_started"}))


def test_the_cohort_and_programme_filters(client, coordinator, organisation, cohort, member):
    outsider = make_member(organisation, first_name="Out")
    add_members(cohort, [member])
    client.force_login(coordinator)
    in_cohort = names(client.get(PEOPLE, {"cohort": cohort.pk}))
    assert member.get_full_name() in in_cohort and outsider.get_full_name() not in in_cohort
    programme = cohort.programmes.get()
    enrolled = names(client.get(PEOPLE, {"programme": programme.pk}))
    assert member.get_full_name() in enrolled and outsider.get_full_name() not in enrolled


def test_search_by_name_or_address(client, coordinator, organisation):
    make_member(organisation, first_name="Priya", last_name="Shah", email="p.shah@example.org")
    make_member(organisation, first_name="Tom", last_name="Hill", email="tom@example.org")
    client.force_login(coordinator)
    assert names(client.get(PEOPLE, {"q": "shah"})) == ["Priya Shah"]
    assert names(client.get(PEOPLE, {"q": "tom@"})) == ["Tom Hill"]


def test_sorting_by_name_and_by_last_activity(client, coordinator, organisation, runs_programme):
    early = make_member(organisation, first_name="Zed", last_name="Early")
    late = make_member(organisation, first_name="Amy", last_name="Late")
    for user, days in ((early, 10), (late, 1)):
        enrol(user, runs_programme)
        Enrolment.objects.filter(user=user).update(
            last_activity_at=timezone.now() - datetime.timedelta(days=days)
        )
    client.force_login(coordinator)
    assert names(client.get(PEOPLE, {"sort": "name"}))[:2] == ["Amy Late", "Zed Early"]
    assert names(client.get(PEOPLE, {"sort": "-activity"}))[:2] == ["Amy Late", "Zed Early"]
    assert names(client.get(PEOPLE, {"sort": "activity"}))[-2:] == ["Zed Early", "Amy Late"]


def test_staff_roles_are_shown(client, coordinator, organisation, member):
    add_staff(organisation, member, Role.SAFEGUARDING_LEAD)
    client.force_login(coordinator)
    (row,) = client.get(PEOPLE).context["rows"]
    assert [str(label) for label in row.role_labels] == ["Safeguarding lead"]


def test_the_csv_export_is_formula_safe_and_scoped(client, coordinator, organisation, other_member):
    make_member(organisation, first_name="=HYPERLINK(1)", last_name="X")
    client.force_login(coordinator)
    response = client.get(PEOPLE, {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1) X" in text
    assert other_member.email not in text


def test_the_xlsx_export_follows_the_filters(client, coordinator, organisation):
    make_member(organisation, first_name="Priya", last_name="Shah")
    make_member(organisation, first_name="Tom", last_name="Hill")
    client.force_login(coordinator)
    response = client.get(PEOPLE, {"export": "xlsx", "q": "priya"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "Priya Shah"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_page_costs_the_same_queries_however_many_members(
    client, coordinator, organisation, cohort, runs_programme, django_assert_num_queries
):
    def grow(count):
        users = [make_member(organisation) for _ in range(count)]
        add_members(cohort, users)
        certificate_in_status(users[0], runs_programme, CertificateStatus.VALID)
        add_staff(organisation, users[-1], Role.EDITOR)

    client.force_login(coordinator)
    grow(3)
    client.get(PEOPLE)
    with_few = count_queries(client, PEOPLE)
    grow(12)
    with django_assert_num_queries(with_few):
        assert client.get(PEOPLE).status_code == 200


def test_pages_hold_fifty(client, coordinator, organisation):
    OrganisationMembership.objects.bulk_create(
        OrganisationMembership(user=user, organisation=organisation)
        for user in UserFactory.create_batch(55)
    )
    client.force_login(coordinator)
    first = client.get(PEOPLE)
    assert first.context["page"].paginator.count == 55
    assert len(first.context["rows"]) == 50
    assert len(client.get(PEOPLE, {"p": 2}).context["rows"]) == 5


def test_removing_a_member_asks_first_then_removes_them_and_their_cohort_places(
    client, coordinator, organisation, cohort, member
):
    add_members(cohort, [member])
    membership = OrganisationMembership.objects.get(user=member)
    url = reverse("coordination_people:remove", args=[membership.pk])
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert OrganisationMembership.objects.filter(pk=membership.pk).exists()
    client.post(url)
    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()
    assert not CohortMember.objects.filter(user=member).exists()
    assert Enrolment.objects.filter(user=member).exists()


def test_a_member_with_a_staff_role_is_not_removed(client, coordinator, organisation, member):
    add_staff(organisation, member, Role.EDITOR)
    membership = OrganisationMembership.objects.get(user=member)
    client.force_login(coordinator)
    client.post(reverse("coordination_people:remove", args=[membership.pk]))
    assert OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_another_organisations_member_is_a_404(client, coordinator, other_member):
    membership = OrganisationMembership.objects.get(user=other_member)
    url = reverse("coordination_people:remove", args=[membership.pk])
    client.force_login(coordinator)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_adding_selected_people_to_a_cohort_enrols_them(
    client, coordinator, cohort, member, runs_programme
):
    membership = OrganisationMembership.objects.get(user=member)
    client.force_login(coordinator)
    client.post(
        reverse("coordination_people:add_to_cohort"),
        {"cohort": cohort.pk, "selected": [membership.pk]},
    )
    assert CohortMember.objects.filter(cohort=cohort, user=member).exists()
    assert Enrolment.objects.filter(user=member, programme=runs_programme).exists()


def test_another_organisations_cohort_or_member_cannot_be_used(
    client, coordinator, other_organisation, cohort, other_member
):
    foreign = Cohort.objects.create(organisation=other_organisation, name="Northside")
    client.force_login(coordinator)
    mine = OrganisationMembership.objects.filter(organisation=cohort.organisation)
    response = client.post(
        reverse("coordination_people:add_to_cohort"),
        {"cohort": foreign.pk, "selected": list(mine.values_list("pk", flat=True))},
    )
    assert response.status_code == 404
    theirs = OrganisationMembership.objects.get(user=other_member)
    client.post(
        reverse("coordination_people:add_to_cohort"),
        {"cohort": cohort.pk, "selected": [theirs.pk]},
    )
    assert not CohortMember.objects.exists()


@pytest.mark.parametrize("who", ["editor", "safeguarding_lead", "member"])
def test_people_who_do_not_coordinate_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PEOPLE).status_code in {302, 403}


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PEOPLE)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("cohort_id", ["x", ":", "²", ""])
def test_a_cohort_or_selection_that_is_not_a_number_is_refused_not_a_500(
    client, coordinator, cohort, member, cohort_id
):
    """Found by the fuzz tests: "²" passes str.isdigit but not int()."""
    membership = OrganisationMembership.objects.get(user=member)
    client.force_login(coordinator)
    url = reverse("coordination_people:add_to_cohort")
    assert client.post(url, {"cohort": cohort_id, "selected": [membership.pk]}).status_code == 404
    response = client.post(url, {"cohort": cohort.pk, "selected": ["²", "x"]})
    assert response.status_code == 302
    assert not CohortMember.objects.exists()
