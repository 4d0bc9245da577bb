"""Training's admin screens that show learners (continuing-education activities with their
evidence, supervisor assignments) are confined to the organisation scope (peerpath/scope.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.setup import add_editor
from peerpath.training.models import SupervisorAssignment
from tests.factories import ContinuingEducationActivityFactory, UserFactory
from tests.workshops.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def member_of(organisation, **fields):
    person = UserFactory(**fields)
    OrganisationMembership.objects.create(user=person, organisation=organisation)
    return person


def staff_of(organisation, *codenames):
    staff = UserFactory(is_staff=True)
    add_editor(organisation, staff)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", *codenames])
    )
    return staff


@pytest.fixture
def riverside():
    return OrganisationFactory(name="Riverside Peer Network", slug="riverside")


@pytest.fixture
def northside():
    return OrganisationFactory(name="Northside Carers Circle", slug="northside")


@pytest.fixture
def activities(riverside, northside):
    ours = ContinuingEducationActivityFactory(
        learner=member_of(riverside), title="Riverside grief workshop", with_evidence=True
    )
    theirs = ContinuingEducationActivityFactory(
        learner=member_of(northside), title="Northside boundaries day", with_evidence=True
    )
    return ours, theirs


def evidence_url(activity):
    return reverse("training:ce_evidence", args=[activity.pk])


# Continuing-education activities and their evidence.


def test_organisation_staff_see_only_their_learners_activities(client, riverside, activities):
    ours, theirs = activities
    client.force_login(staff_of(riverside, "view_continuingeducationactivity"))
    response = client.get(reverse("ce_activities:index"))
    assert response.status_code == 200
    assert [activity.pk for activity in response.context["object_list"]] == [ours.pk]
    page = response.content.decode()
    assert ours.title in page and evidence_url(ours) in page
    assert theirs.title not in page and evidence_url(theirs) not in page


def test_searching_does_not_reach_another_organisations_learners(client, riverside, activities):
    _ours, theirs = activities
    client.force_login(staff_of(riverside, "view_continuingeducationactivity"))
    response = client.get(reverse("ce_activities:index"), {"q": theirs.learner.email})
    assert list(response.context["object_list"]) == []


def test_organisation_staff_download_only_their_learners_evidence(client, riverside, activities):
    ours, theirs = activities
    client.force_login(staff_of(riverside, "view_continuingeducationactivity"))
    assert client.get(evidence_url(ours)).status_code == 200
    assert client.get(evidence_url(theirs)).status_code == 404


def test_staff_of_no_organisation_see_no_learners_activities(client, activities):
    ours, _theirs = activities
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_continuingeducationactivity"]
        )
    )
    client.force_login(staff)
    response = client.get(reverse("ce_activities:index"))
    assert response.status_code == 200 and list(response.context["object_list"]) == []
    assert client.get(evidence_url(ours)).status_code == 404


def test_superusers_see_every_organisations_activities(client, activities, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("ce_activities:index"))
    assert {a.pk for a in response.context["object_list"]} == {a.pk for a in activities}
    assert all(client.get(evidence_url(a)).status_code == 200 for a in activities)


# Supervisor assignments.

ASSIGNMENT_PERMISSIONS = [
    "add_supervisorassignment",
    "change_supervisorassignment",
    "delete_supervisorassignment",
]


@pytest.fixture
def assignments(riverside, northside):
    ours = SupervisorAssignment.objects.create(
        supervisor=member_of(riverside), learner=member_of(riverside, first_name="Rowan")
    )
    theirs = SupervisorAssignment.objects.create(
        supervisor=member_of(northside), learner=member_of(northside, first_name="Nadia")
    )
    return ours, theirs


def test_organisation_staff_list_only_their_learners_supervisors(client, riverside, assignments):
    ours, _theirs = assignments
    client.force_login(staff_of(riverside, *ASSIGNMENT_PERMISSIONS))
    response = client.get(reverse("supervisor_assignments:index"))
    assert response.status_code == 200
    assert [assignment.pk for assignment in response.context["object_list"]] == [ours.pk]


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_organisations_assignment_is_a_404(client, riverside, assignments, view):
    _ours, theirs = assignments
    client.force_login(staff_of(riverside, *ASSIGNMENT_PERMISSIONS))
    url = reverse(f"supervisor_assignments:{view}", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert SupervisorAssignment.objects.filter(pk=theirs.pk).exists()


def test_the_assignment_form_offers_only_the_organisations_people(
    client, riverside, northside, assignments
):
    ours, theirs = assignments
    client.force_login(staff_of(riverside, *ASSIGNMENT_PERMISSIONS))
    form = client.get(reverse("supervisor_assignments:add")).context["form"]
    offered = set(form.fields["learner"].queryset) | set(form.fields["supervisor"].queryset)
    assert offered == {ours.supervisor, ours.learner}

    response = client.post(
        reverse("supervisor_assignments:add"),
        {"supervisor": ours.supervisor.pk, "learner": theirs.learner.pk},
    )
    assert response.status_code == 200
    assert "learner" in response.context["form"].errors
    assert SupervisorAssignment.objects.count() == 2


def test_organisation_staff_assign_a_supervisor_to_their_learner(client, riverside):
    supervisor, learner = member_of(riverside), member_of(riverside)
    client.force_login(staff_of(riverside, *ASSIGNMENT_PERMISSIONS))
    response = client.post(
        reverse("supervisor_assignments:add"),
        {"supervisor": supervisor.pk, "learner": learner.pk},
    )
    assert response.status_code == 302
    assert SupervisorAssignment.objects.filter(supervisor=supervisor, learner=learner).exists()
