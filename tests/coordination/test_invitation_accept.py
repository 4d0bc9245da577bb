"""The invitee's pages (`/join/<token>/`): signed in, with an account to log in to, or signing up;
and every link that cannot be used, answered in the site's design with the right status."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from peerpath.accounts import verification
from peerpath.coordination import invitations
from peerpath.coordination.invitation_links import accept_path
from peerpath.coordination.models import Cohort, CohortMember, Invitation
from peerpath.organisations.models import OrganisationMembership
from peerpath.training.models import Enrolment
from tests.concurrency import run_together
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organisation, runs_programme):
    cohort = Cohort.objects.create(organisation=organisation, name="Spring volunteers")
    cohort.programmes.add(runs_programme)
    return cohort


@pytest.fixture
def invitation(organisation, coordinator, cohort):
    return invitations.invite(
        organisation, "sam@example.org", name="Sam Lee", cohort=cohort, by=coordinator
    )


def sign_up_data(**overrides):
    return {
        "certificate_name": "Sam Lee",
        "password1": "a long pass phrase",
        "password2": "a long pass phrase",
        "consent": "on",
        **overrides,
    }


# --- Links that cannot be used ----------------------------------------------------------------


def test_a_tampered_link_is_a_404_in_the_site_design(client, invitation):
    response = client.get(accept_path(invitation)[:-5] + "xxxx/")
    assert response.status_code == 404
    assert b"Invitation not found" in response.content
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_expired_link_is_gone_and_says_to_ask_for_a_new_one(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.get(accept_path(invitation))
    assert response.status_code == 410
    assert b"expired" in response.content
    assert b"Riverside Peer Support to send you a new invitation" in response.content


def test_a_withdrawn_link_is_gone(client, invitation, coordinator):
    invitations.revoke(invitation, by=coordinator)
    response = client.get(accept_path(invitation))
    assert response.status_code == 410
    assert b"withdrawn" in response.content


def test_a_used_link_says_it_was_already_used(client, invitation, user):
    path = accept_path(invitation)
    invitations.accept(invitation, user)
    client.force_login(user)
    response = client.post(path)
    assert response.status_code == 410
    assert b"already used" in response.content


def test_an_old_link_after_a_re_send_is_gone(client, invitation, coordinator):
    old = accept_path(invitation)
    invitations.resend(invitation, by=coordinator)
    response = client.get(old)
    assert response.status_code == 410
    assert b"newer invitation" in response.content


# --- Signed in --------------------------------------------------------------------------------


def test_signed_in_they_join_with_one_button(client, invitation, user, cohort, organisation):
    client.force_login(user)
    path = accept_path(invitation)

    page = client.get(path)
    assert page.status_code == 200
    assert b"Join Riverside Peer Support as" in page.content
    assert not OrganisationMembership.objects.filter(user=user).exists()  # GET changes nothing

    response = client.post(path)

    programme = cohort.programmes.get()
    assert response.status_code == 302
    assert response["Location"] == programme.url
    assert OrganisationMembership.objects.filter(user=user, organisation=organisation).exists()
    assert CohortMember.objects.filter(cohort=cohort, user=user).exists()
    assert Enrolment.objects.filter(user=user, programme=programme).exists()
    followed = client.get(reverse("training:my_training"))
    assert b"Welcome to Riverside Peer Support" in followed.content


def test_without_a_cohort_they_land_on_their_training(client, organisation, coordinator, user):
    invitation = invitations.invite(organisation, "x@example.org", by=coordinator)
    client.force_login(user)
    response = client.post(accept_path(invitation))
    assert response["Location"] == reverse("training:my_training")


# --- An account exists ------------------------------------------------------------------------


def test_with_an_account_they_are_asked_to_log_in_and_come_back(client, invitation):
    UserFactory(email="Sam@example.org", username="sam@example.org")
    path = accept_path(invitation)

    response = client.get(path)

    assert response.status_code == 200
    assert b"already have a PeerPath account" in response.content
    assert response.context["login_url"] == reverse("accounts:login") + "?" + urlencode(
        {"next": path}
    )
    assert client.post(path, sign_up_data()).status_code == 200  # no account is made
    assert not Invitation.objects.get(pk=invitation.pk).accepted_at


# --- No account -------------------------------------------------------------------------------


def test_without_an_account_they_sign_up_for_the_invited_address(
    client, invitation, cohort, organisation
):
    path = accept_path(invitation)
    page = client.get(path)
    assert b"sam@example.org" in page.content
    assert b"disabled" in page.content  # the address is not editable

    response = client.post(path, sign_up_data(email="someone.else@example.org"))

    assert response.status_code == 302
    user = OrganisationMembership.objects.get(organisation=organisation).user
    assert user.email == "sam@example.org"  # the invited address, whatever was posted
    assert verification.has_confirmed_email(user)
    assert CohortMember.objects.filter(cohort=cohort, user=user).exists()
    assert Enrolment.objects.filter(user=user).count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk  # signed in


def test_a_bad_sign_up_shows_its_errors_and_creates_nothing(client, invitation):
    response = client.post(accept_path(invitation), sign_up_data(password2="different", consent=""))
    assert response.status_code == 400
    assert b"do not match" in response.content
    assert not OrganisationMembership.objects.exists()
    assert not invitations.User.objects.filter(email="sam@example.org").exists()


def test_answers_are_rate_limited(client, invitation, settings, fresh_rate_limits):
    settings.PEERPATH_INVITATION_RATE_LIMIT = (2, 60)
    path = accept_path(invitation)
    for _ in range(2):
        client.post(path, sign_up_data(password2="different"))
    response = client.post(path, sign_up_data())
    assert response.status_code == 429
    assert not OrganisationMembership.objects.exists()


# --- Races ------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_accepts_at_once_one_wins(organisation, coordinator, cohort):
    invitation = invitations.invite(organisation, "race@example.org", cohort=cohort, by=coordinator)
    first, second = UserFactory(), UserFactory()

    outcomes = run_together(
        lambda: invitations.accept(invitation, first),
        lambda: invitations.accept(invitation, second),
    )

    won = [o for o in outcomes if isinstance(o, Invitation)]
    lost = [o for o in outcomes if isinstance(o, invitations.InvitationRefused)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].code == "used"
    assert OrganisationMembership.objects.filter(organisation=organisation).count() == 1
    assert CohortMember.objects.filter(cohort=cohort).count() == 1


def test_expiry_is_checked_when_accepting_too(organisation, coordinator, user):
    invitation = invitations.invite(organisation, "late@example.org", by=coordinator)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(invitations.InvitationRefused) as caught:
        invitations.accept(invitation, user)
    assert caught.value.code == "expired"
