"""Who may open what an organisation's staff use: every URL the organisations issue added (staff
roles, people, cohorts, invitations, awards on prior learning, the impact report), for the
coordinator, editor and safeguarding lead of organisation A and of organisation B, a learner, an
anonymous visitor and a superuser, plus the older screens whose audience the new roles change.

Built on the shared security world (tests/security/world.py) with the roles and objects of
organisations added inside the same rolled-back transaction. Another organisation's object is a
404 ("gone"), as if it did not exist; a screen someone's role does not reach sends them back to the
admin's home ("admin-denied") or answers 403.
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from peerpath.certificates.awards import award
from peerpath.coordination import invitations
from peerpath.coordination.invitation_links import token_for
from peerpath.coordination.models import Cohort, CohortMember
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.roles import Role
from peerpath.organisations.setup import add_staff
from tests.factories import UserFactory
from tests.security.test_access_matrix import (
    ADMIN_DENIED,
    ADMIN_LOGIN,
    GONE,
    OK,
    outcome,
)
from tests.security.world import shared_world

ROLES = [
    "anonymous",
    "learner",
    "editor",
    "other_editor",
    "coordinator",
    "other_coordinator",
    "safeguarding_lead",
    "other_safeguarding_lead",
    "admin",
]
# Shorthands for the columns nobody outside the admin passes: anonymous and learner.
OUTSIDE = [ADMIN_LOGIN, ADMIN_LOGIN]


def extend(world):
    """Add the organisations' roles and objects to the shared world (inside its transaction)."""
    a, b = world.organisation, world.other_organisation
    people = {
        "coordinator": (a, Role.COORDINATOR, "coordinator@riverside.example"),
        "other_coordinator": (b, Role.COORDINATOR, "coordinator@northside.example"),
        "safeguarding_lead": (a, Role.SAFEGUARDING_LEAD, "safeguarding@riverside.example"),
        "other_safeguarding_lead": (b, Role.SAFEGUARDING_LEAD, "safeguarding@northside.example"),
    }
    for attribute, (organisation, role, email) in people.items():
        user = UserFactory(email=email)
        add_staff(organisation, user, role)
        setattr(world, attribute, user)
    world.programme.organisations.add(a, b)
    world.programme.save()
    world.membership = OrganisationMembership.objects.create(user=world.learner, organisation=a)
    OrganisationMembership.objects.create(user=world.other_learner, organisation=b)
    world.cohort = Cohort.objects.create(organisation=a, name="Riverside autumn")
    world.cohort.programmes.add(world.programme)
    world.cohort_member = CohortMember.objects.create(cohort=world.cohort, user=world.learner)
    world.other_cohort = Cohort.objects.create(organisation=b, name="Northside autumn")
    world.invitation = invitations.invite(
        a, "new.volunteer@example.org", name="Robin", cohort=world.cohort, by=world.coordinator
    )
    world.invitation_token = token_for(world.invitation)
    holder = UserFactory(email="veteran@example.org")
    OrganisationMembership.objects.create(user=holder, organisation=a)
    issued = timezone.localdate() - datetime.timedelta(days=400)
    world.award = award(
        holder,
        world.programme,
        organisation=a,
        original_issued_on=issued,
        expires_on=issued + datetime.timedelta(days=700),
        evidence_note="Trained with the county course.",
        evidence_file=SimpleUploadedFile("certificate.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=world.coordinator,
    ).prior_learning_award
    return world


def role_user(world, role):
    return None if role == "anonymous" else getattr(world, role)


class Request:
    """A request a row makes: method, URL name and how to take its arguments from the world."""

    def __init__(self, method, name, *args, data=None):
        self.method, self.name, self.args, self.data = method, name, args, data

    def __call__(self, world):
        url = reverse(self.name, args=[arg(world) for arg in self.args])
        return self.method, url, (self.data(world) if self.data else {})


def get(name, *args):
    return Request("get", name, *args)


def post(name, *args, data=None):
    return Request("post", name, *args, data=data)


def a(w):
    return w.organisation.pk


def b(w):
    return w.other_organisation.pk


#: URL names whose access rule is the row of another (tested there and in their own tests).
ALSO_COVERED = set()

# url name → (request, expected outcome per role in ROLES order)
MATRIX = {
    # --- Staff roles: the organisation's coordinators (and superusers) hand them out ----------
    # Someone who manages one organisation is taken straight to its page.
    "roles-index": (
        get("organisation_roles_index"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, 302, 302, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "roles-of-a": (
        get("organisation_roles", a),
        OUTSIDE + [GONE, GONE, OK, GONE, GONE, GONE, OK],
    ),
    "roles-of-b": (
        get("organisation_roles", b),
        OUTSIDE + [GONE, GONE, GONE, OK, GONE, GONE, OK],
    ),
    # --- People ---------------------------------------------------------------------------------
    "people": (
        get("coordination_people:index"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "people-remove-a-member": (
        get("coordination_people:remove", lambda w: w.membership.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, GONE, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "people-add-a-member-to-a-cohort-of-a": (
        post(
            "coordination_people:add_to_cohort",
            data=lambda w: {"cohort": w.cohort.pk, "selected": [w.membership.pk]},
        ),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, 302, GONE, ADMIN_DENIED, ADMIN_DENIED, 302],
    ),
    # --- Cohorts and the coach view -------------------------------------------------------------
    "cohorts": (
        get("coordination_cohorts:index"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "cohort-add": (
        get("coordination_cohorts:add"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "coach-view-of-a": (
        get("coordination_cohorts:coach", lambda w: w.cohort.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, GONE, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "coach-view-of-b": (
        get("coordination_cohorts:coach", lambda w: w.other_cohort.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, GONE, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "cohort-edit-a": (
        get("coordination_cohorts:edit", lambda w: w.cohort.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, GONE, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "cohort-members-a": (
        get("coordination_cohorts:members", lambda w: w.cohort.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, GONE, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    # Nudging starts from the coach view's selection: a bare GET goes back there.
    "cohort-nudge-a": (
        get("coordination_cohorts:nudge", lambda w: w.cohort.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, 302, GONE, ADMIN_DENIED, ADMIN_DENIED, 302],
    ),
    "cohort-archive-a": (
        get("coordination_cohorts:archive", lambda w: w.cohort.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, GONE, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "cohort-remove-member-of-a": (
        post(
            "coordination_cohorts:remove_member",
            lambda w: w.cohort.pk,
            lambda w: w.cohort_member.pk,
        ),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, 302, GONE, ADMIN_DENIED, ADMIN_DENIED, 302],
    ),
    # --- Invitations ----------------------------------------------------------------------------
    "invitations": (
        get("coordination_invitations:index"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "invite": (
        get("coordination_invitations:invite"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "invitation-upload": (
        get("coordination_invitations:upload"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "invitation-of-a-resend": (
        post("coordination_invitations:resend", lambda w: w.invitation.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, 302, GONE, ADMIN_DENIED, ADMIN_DENIED, 302],
    ),
    "invitations-bulk": (
        post("coordination_invitations:bulk"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, 302, 302, ADMIN_DENIED, ADMIN_DENIED, 302],
    ),
    "invitation-of-a-revoke": (
        post("coordination_invitations:revoke", lambda w: w.invitation.pk),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, 302, GONE, ADMIN_DENIED, ADMIN_DENIED, 302],
    ),
    # The link is the invitee's: anyone holding it sees the join page.
    "join-link": (
        get("coordination:accept", lambda w: w.invitation_token),
        [OK] * 9,
    ),
    "join-link-tampered": (
        get("coordination:accept", lambda w: w.invitation_token[:-2] + "xx"),
        [GONE] * 9,
    ),
    # --- Awards on recognition of prior learning ------------------------------------------------
    "awards": (
        get("coordination_awards:index"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "award-form": (
        get("coordination_awards:award"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "award-upload": (
        get("coordination_awards:upload"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    # --- The impact report ----------------------------------------------------------------------
    # Someone who coordinates one organisation is taken straight to its report.
    "impact": (
        get("coordination_impact:index"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, 302, 302, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "impact-of-a": (
        get("coordination_impact:report", a),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, GONE, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "impact-of-b": (
        get("coordination_impact:report", b),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, GONE, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "impact-of-a-xlsx": (
        get("coordination_impact:xlsx", a),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, GONE, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "impact-of-b-pdf": (
        get("coordination_impact:pdf", b),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, GONE, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    # --- Older screens whose audience the roles change ------------------------------------------
    "certificates-list": (
        get("certificates_admin:index"),
        OUTSIDE + [ADMIN_DENIED, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    # Evidence is for whoever may award for, or see the certificates of, the organisation.
    "award-evidence-of-a": (
        get("certificates_admin:evidence", lambda w: w.award.certificate_id),
        OUTSIDE + [GONE, GONE, OK, GONE, GONE, GONE, OK],
    ),
    "safeguarding-concerns": (
        get("meetings_concerns:index"),
        OUTSIDE + [OK, OK, OK, OK, OK, OK, OK],
    ),
    "safeguarding-concern-of-a": (
        get("meetings_concerns:edit", lambda w: w.concern.pk),
        OUTSIDE + [OK, GONE, OK, GONE, OK, GONE, OK],
    ),
    "sessions": (
        get("meetings_sessions:index"),
        OUTSIDE + [OK, OK, OK, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
}

CELLS = [
    pytest.param(url_name, role, expected[number], id=f"{url_name}-{role}")
    for url_name, (_request, expected) in MATRIX.items()
    for number, role in enumerate(ROLES)
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_world(django_db_blocker) as world:
        with django_db_blocker.unblock():
            yield extend(world)


@pytest.mark.parametrize("url_name, role, expected", CELLS)
def test_access(db, client, world, url_name, role, expected):
    method, url, data = MATRIX[url_name][0](world)
    user = role_user(world, role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data)
    got = outcome(
        response,
        reverse(settings.LOGIN_URL),
        reverse("wagtailadmin_login"),
        reverse("wagtailadmin_home"),
    )
    assert got == expected, f"{method.upper()} {url} as {role}: {got}, expected {expected}"


def test_the_matrix_covers_every_role_for_every_url():
    assert all(len(expected) == len(ROLES) for _request, expected in MATRIX.values())


def test_every_coordination_and_staff_roles_url_is_in_the_matrix():
    """A new coordination screen without a row here fails this test."""
    resolver = get_resolver()
    names = {
        f"{namespace}:{name}"
        for namespace, (_prefix, namespaced) in resolver.namespace_dict.items()
        if namespace.startswith("coordination")
        for name in namespaced.reverse_dict
        if isinstance(name, str)
    }
    names |= {name for name in resolver.reverse_dict if str(name).startswith("organisation_roles")}
    requested = {request.name for request, _expected in MATRIX.values()}
    # Bulk actions and the second step of a form post to pages whose rows are above.
    untested = names - requested - ALSO_COVERED
    assert len(names) > 20
    assert untested == set(), sorted(untested)
