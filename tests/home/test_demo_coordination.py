"""The demo's organisations run their own people: roles, cohorts, invitations, awards on prior
learning and a year of sessions for the impact report."""

import io

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from home.demo_coordination import PEOPLE
from peerpath.certificates.models import Certificate, PriorLearningAward
from peerpath.coordination.models import Cohort, CohortMember, Invitation
from peerpath.meetings.choices import SessionStatus
from peerpath.meetings.models import Booking, Session
from peerpath.organisations.models import Organisation
from peerpath.organisations.roles import Role, holders

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at its end (each
    test's own transaction nests in it), as tests/security/world.py does."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def counts():
    return {
        "cohorts": Cohort.objects.count(),
        "members": CohortMember.objects.count(),
        "invitations": Invitation.objects.count(),
        "awards": PriorLearningAward.objects.count(),
        "certificates": Certificate.objects.count(),
        "sessions": Session.objects.count(),
        "bookings": Booking.objects.count(),
    }


@pytest.mark.parametrize("slug", sorted(PEOPLE))
def test_each_organisation_has_a_coordinator_and_a_safeguarding_lead(demo, slug):
    organisation = Organisation.objects.get(slug=slug)
    spec = PEOPLE[slug]
    assert [u.email for u in holders(organisation, Role.COORDINATOR)] == [
        spec["coordinator"]["email"]
    ]
    assert [u.email for u in holders(organisation, Role.SAFEGUARDING_LEAD)] == [
        spec["safeguarding"]["email"]
    ]
    assert organisation.programmes.filter(credential_code="PSGF").exists()


@pytest.mark.parametrize("slug", sorted(PEOPLE))
def test_each_organisation_has_a_cohort_in_progress_and_pending_invitations(demo, slug):
    cohort = Cohort.objects.get(organisation__slug=slug)
    members = cohort.memberships.count()
    assert members == len(PEOPLE[slug]["volunteers"])
    enrolments = [m.user.enrolments.get() for m in cohort.memberships.select_related("user")]
    assert {e.percent_complete > 0 for e in enrolments} == {True, False} or members < 4
    assert any(e.percent_complete > 0 for e in enrolments)
    assert not any(e.completed_at for e in enrolments)
    pending = Invitation.objects.pending().filter(organisation__slug=slug)
    assert pending.count() == len(PEOPLE[slug]["invited"])


@pytest.mark.parametrize("slug", sorted(PEOPLE))
def test_two_facilitators_per_organisation_were_awarded_on_prior_learning(demo, slug):
    awards = PriorLearningAward.objects.filter(organisation__slug=slug).select_related(
        "certificate"
    )
    assert awards.count() == 2
    for award in awards:
        certificate = Certificate.objects.with_status().get(pk=award.certificate_id)
        assert certificate.status == "valid"
        assert certificate.issued_at.date() == award.original_issued_on
        assert award.evidence_note


def test_both_organisations_held_sessions_in_each_of_the_last_twelve_months(demo):
    today = timezone.localdate()
    first = today.replace(day=1)
    for slug in PEOPLE:
        months = {
            (s.starts_at.year, s.starts_at.month)
            for s in Session.objects.filter(organisation__slug=slug, status=SessionStatus.COMPLETED)
        }
        for back in range(1, 13):
            month = first - relativedelta(months=back)
            assert (month.year, month.month) in months, (slug, month)


def test_old_bookings_have_had_their_contact_details_removed(demo):
    old = Booking.objects.filter(session__ends_at__lt=timezone.now() - relativedelta(days=120))
    assert old.exists()
    assert not old.filter(anonymised_at__isnull=True).exists()


def test_loading_the_demo_again_changes_nothing(demo):
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before
