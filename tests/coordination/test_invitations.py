"""Invitations' rules (coordination/invitations.py): inviting, the signed link and what ends it
(tampering, expiry, a newer link, withdrawal, use), accepting, re-sending, retention, the e-mail."""

import datetime
import logging
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from peerpath.coordination import invitations
from peerpath.coordination.invitation_links import SALT, token_for
from peerpath.coordination.invitations import InvitationError, InvitationRefused
from peerpath.coordination.models import Cohort, CohortMember, Invitation
from peerpath.organisations.models import OrganisationMembership
from peerpath.training.models import Enrolment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organisation, runs_programme):
    cohort = Cohort.objects.create(organisation=organisation, name="Spring volunteers")
    cohort.programmes.add(runs_programme)
    return cohort


def invite(organisation, coordinator, email="sam@example.org", **fields):
    return invitations.invite(organisation, email, by=coordinator, **fields)


# --- Inviting ---------------------------------------------------------------------------------


def test_an_invitation_normalises_the_address_and_sends_the_link_after_commit(
    organisation, coordinator, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(
            organisation, coordinator, "  Sam@Example.ORG ", name="Sam  Lee", cohort=cohort
        )

    assert invitation.email == "sam@example.org"
    assert invitation.name == "Sam Lee"
    assert invitation.send_count == 1
    assert invitation.status == "pending"
    (message,) = mail.outbox
    assert message.to == ["sam@example.org"]
    assert "Riverside Peer Support" in message.subject
    assert "Cora" in message.body and "Ord" not in message.body  # first name only
    assert "Spring volunteers" in message.body
    assert invitation.expires_at.strftime("%-d") in message.body
    assert "ignore this e-mail" in message.body
    assert "/join/" in message.body


def test_the_link_lasts_the_configured_number_of_days(organisation, coordinator, settings):
    settings.PEERPATH_INVITATION_DAYS = 3
    invitation = invite(organisation, coordinator)
    assert abs(invitation.expires_at - timezone.now() - datetime.timedelta(days=3)) < (
        datetime.timedelta(minutes=1)
    )


@pytest.mark.parametrize("address", ["", "not-an-address", "=HYPERLINK(1)", "a@b"])
def test_a_bad_address_is_refused(organisation, coordinator, address):
    with pytest.raises(InvitationError):
        invite(organisation, coordinator, address)
    assert not Invitation.objects.exists()


def test_a_members_address_is_refused(organisation, coordinator, member):
    with pytest.raises(InvitationError, match="already a member"):
        invite(organisation, coordinator, member.email.upper())


def test_a_member_of_another_organisation_can_be_invited(organisation, coordinator, other_member):
    assert invite(organisation, coordinator, other_member.email).pk


def test_another_organisations_cohort_or_an_archived_one_is_refused(
    organisation, other_organisation, coordinator, cohort
):
    theirs = Cohort.objects.create(organisation=other_organisation, name="Theirs")
    with pytest.raises(InvitationError, match="another organisation"):
        invite(organisation, coordinator, cohort=theirs)
    Cohort.objects.filter(pk=cohort.pk).update(archived_at=timezone.now())
    cohort.refresh_from_db()
    with pytest.raises(InvitationError, match="archived"):
        invite(organisation, coordinator, cohort=cohort)
    assert not Invitation.objects.exists()


def test_an_open_invitation_is_offered_for_re_sending(organisation, coordinator):
    first = invite(organisation, coordinator)
    with pytest.raises(InvitationError) as caught:
        invite(organisation, coordinator, "SAM@example.org")
    assert caught.value.code == "open"
    assert caught.value.invitation == first


# --- The link ---------------------------------------------------------------------------------


def test_the_token_opens_its_invitation(organisation, coordinator):
    invitation = invite(organisation, coordinator)
    assert invitations.invitation_for_token(token_for(invitation)) == invitation


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps({"i": "not-a-uuid", "n": "x"}, salt=SALT),
        signing.dumps({"i": "00000000-0000-0000-0000-000000000000", "n": "x"}, salt=SALT),
        signing.dumps(["a list"], salt=SALT),
    ],
    # Signed tokens carry a timestamp: fixed ids keep every xdist worker's collection the same.
    ids=["nonsense", "not-a-uuid", "no-such-invitation", "a-list"],
)
def test_an_unknown_token_is_refused_as_unknown(organisation, coordinator, token):
    invite(organisation, coordinator)
    with pytest.raises(InvitationRefused) as caught:
        invitations.invitation_for_token(token)
    assert caught.value.code == "unknown"


def test_a_tampered_token_is_refused(organisation, coordinator):
    invitation = invite(organisation, coordinator)
    token = token_for(invitation)
    forged = signing.dumps({"i": str(invitation.public_id), "n": invitation.nonce}, salt="other")
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged):
        with pytest.raises(InvitationRefused) as caught:
            invitations.invitation_for_token(bad)
        assert caught.value.code == "unknown"


def test_an_expired_link_says_so(organisation, coordinator):
    invitation = invite(organisation, coordinator)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(InvitationRefused) as caught:
        invitations.invitation_for_token(token_for(invitation))
    assert caught.value.code == "expired"
    assert "Ask the organisation" in caught.value.message


def test_a_withdrawn_link_says_so(organisation, coordinator):
    invitation = invite(organisation, coordinator)
    invitations.revoke(invitation, by=coordinator)
    with pytest.raises(InvitationRefused) as caught:
        invitations.invitation_for_token(token_for(invitation))
    assert caught.value.code == "revoked"


def test_a_used_link_says_it_was_already_used(organisation, coordinator, user):
    invitation = invite(organisation, coordinator)
    invitations.accept(invitation, user)
    with pytest.raises(InvitationRefused) as caught:
        invitations.invitation_for_token(token_for(invitation))
    assert caught.value.code == "used"
    assert "already used" in caught.value.message


def test_re_sending_kills_the_old_link_and_extends_the_expiry(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    invitation = invite(organisation, coordinator)
    old_token = token_for(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        resent = invitations.resend(invitation, by=coordinator)

    assert resent.send_count == 2
    assert resent.expires_at > timezone.now() + datetime.timedelta(days=13)
    with pytest.raises(InvitationRefused) as caught:
        invitations.invitation_for_token(old_token)
    assert caught.value.code == "replaced"
    assert invitations.invitation_for_token(token_for(resent)) == resent
    (message,) = mail.outbox
    assert token_for(resent) in message.body


def test_one_re_send_per_ten_minutes(organisation, coordinator):
    invitation = invite(organisation, coordinator)
    invitations.resend(invitation, by=coordinator)
    with pytest.raises(InvitationError) as caught:
        invitations.resend(invitation, by=coordinator)
    assert caught.value.code == "too_soon"
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert invitations.resend(invitation, by=coordinator).send_count == 3


def test_settled_invitations_are_neither_re_sent_nor_withdrawn(organisation, coordinator, user):
    accepted = invite(organisation, coordinator)
    invitations.accept(accepted, user)
    revoked = invite(organisation, coordinator, "other@example.org")
    invitations.revoke(revoked, by=coordinator)
    for invitation in (accepted, revoked):
        with pytest.raises(InvitationError):
            invitations.resend(invitation, by=coordinator)
        with pytest.raises(InvitationError):
            invitations.revoke(invitation, by=coordinator)


def test_a_withdrawn_invitation_sends_nothing_when_its_job_runs_late(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = invite(organisation, coordinator)
    invitations.revoke(invitation, by=coordinator)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_addresses_never_reach_the_log(
    organisation, coordinator, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        invite(organisation, coordinator, "private.person@example.org", name="Private Person")
    assert "private.person" not in caplog.text and "Private" not in caplog.text


# --- Accepting --------------------------------------------------------------------------------


def test_accepting_joins_the_organisation_and_the_cohort_and_enrols(
    organisation, coordinator, cohort, user
):
    invitation = invite(organisation, coordinator, cohort=cohort)

    accepted = invitations.accept(invitation, user)

    assert accepted.accepted_by == user and accepted.accepted_at
    assert OrganisationMembership.objects.filter(user=user, organisation=organisation).exists()
    assert CohortMember.objects.filter(cohort=cohort, user=user).exists()
    assert Enrolment.objects.filter(user=user, programme=cohort.programmes.get()).exists()


def test_accepting_keeps_an_existing_membership_and_enrolment(
    organisation, coordinator, cohort, user
):
    OrganisationMembership.objects.create(user=user, organisation=organisation)
    Enrolment.objects.create(user=user, programme=cohort.programmes.get())
    invitations.accept(invite(organisation, coordinator, cohort=cohort), user)
    assert OrganisationMembership.objects.filter(user=user).count() == 1
    assert Enrolment.objects.filter(user=user).count() == 1


def test_an_invitation_is_accepted_once(organisation, coordinator, user, other_user):
    invitation = invite(organisation, coordinator)
    invitations.accept(invitation, user)
    with pytest.raises(InvitationRefused) as caught:
        invitations.accept(invitation, other_user)
    assert caught.value.code == "used"
    assert not OrganisationMembership.objects.filter(user=other_user).exists()


def test_a_new_account_is_created_confirmed_and_joined(organisation, coordinator, cohort):
    invitation = invite(organisation, coordinator, "new.person@example.org", cohort=cohort)

    user = invitations.accept_with_new_account(
        invitation, certificate_name="New Person", password="a long pass phrase", notice_version=1
    )

    assert user.email == "new.person@example.org"
    assert user.check_password("a long pass phrase")
    assert invitations.verification.has_confirmed_email(user)
    assert CohortMember.objects.filter(cohort=cohort, user=user).exists()


def test_no_account_is_created_when_the_invitation_cannot_be_used(organisation, coordinator):
    invitation = invite(organisation, coordinator, "late@example.org")
    invitations.revoke(invitation, by=coordinator)
    with pytest.raises(InvitationRefused):
        invitations.accept_with_new_account(
            invitation, certificate_name="Late", password="a long pass phrase", notice_version=1
        )
    assert not invitations.User.objects.filter(email="late@example.org").exists()


def test_an_address_with_an_account_cannot_make_another(organisation, coordinator):
    UserFactory(email="taken@example.org", username="taken@example.org")
    invitation = invite(organisation, coordinator, "taken@example.org")
    with pytest.raises(InvitationError) as caught:
        invitations.accept_with_new_account(
            invitation, certificate_name="Taken", password="a long pass phrase", notice_version=1
        )
    assert caught.value.code == "account"
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


# --- Retention --------------------------------------------------------------------------------


def test_purge_deletes_invitations_settled_or_expired_long_ago(organisation, coordinator, user):
    long_ago = timezone.now() - datetime.timedelta(days=91)
    recently = timezone.now() - datetime.timedelta(days=89)
    keep_pending = invite(organisation, coordinator, "pending@example.org")
    old_accepted = invite(organisation, coordinator, "accepted@example.org")
    invitations.accept(old_accepted, user)
    Invitation.objects.filter(pk=old_accepted.pk).update(accepted_at=long_ago)
    old_revoked = invite(organisation, coordinator, "revoked@example.org")
    invitations.revoke(old_revoked, by=coordinator, at=long_ago)
    new_revoked = invite(organisation, coordinator, "recent@example.org")
    invitations.revoke(new_revoked, by=coordinator, at=recently)
    old_expired = invite(organisation, coordinator, "expired@example.org")
    Invitation.objects.filter(pk=old_expired.pk).update(expires_at=long_ago)
    recent_expired = invite(organisation, coordinator, "lapsed@example.org")
    Invitation.objects.filter(pk=recent_expired.pk).update(expires_at=recently)

    call_command("purge_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(Invitation.objects.values_list("pk", flat=True)) == {
        keep_pending.pk,
        new_revoked.pk,
        recent_expired.pk,
    }
    # The membership the accepted one made stays.
    assert OrganisationMembership.objects.filter(user=user, organisation=organisation).exists()


def test_the_invitation_link_in_the_mail_is_the_current_one(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(organisation, coordinator)
    (link,) = re.findall(r"/join/([^/\s]+)/", mail.outbox[0].body)
    assert invitations.invitation_for_token(link) == invitation
