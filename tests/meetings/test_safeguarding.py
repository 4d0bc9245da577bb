"""Safeguarding concerns: raised in a debrief, e-mailed once to the organisation's safeguarding
contact and safeguarding leads (or, without them, its coordinators, then its editors) with a link
to a staff-only page, followed up by its own staff only."""

import pytest
from django.core import mail
from django.urls import reverse

from peerpath.meetings import notifications
from peerpath.meetings.models import Debrief, SafeguardingConcern
from peerpath.organisations.models import Organisation
from peerpath.organisations.roles import Role
from peerpath.organisations.setup import add_staff
from tests.factories import UserFactory

from .debrief_fixtures import *  # noqa: F403 - the fixtures: an ended session and its roster
from .debrief_fixtures import debrief_url, file, form_data
from .factories import make_booking

pytestmark = pytest.mark.django_db

SUMMARY = "Someone spoke of not feeling safe at home; I gave the crisis line."


@pytest.fixture
def concern(ended, facilitator):
    file(ended, facilitator, concern_summary=SUMMARY)
    return SafeguardingConcern.objects.get()


def concern_mail():
    """The safeguarding messages sent (completing a session also asks participants for feedback)."""
    return [message for message in mail.outbox if "afeguarding" in message.subject]


def inspect_url(concern):
    return reverse("meetings_concerns:inspect", args=[concern.pk])


def edit_url(concern):
    return reverse("meetings_concerns:edit", args=[concern.pk])


# --- Raised, and sent once --------------------------------------------------------------------


def test_a_concern_is_recorded_with_who_raised_it_and_when(
    client, ended, facilitator, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            debrief_url(ended), form_data(concern="yes", concern_summary=f"  {SUMMARY}  ")
        )

    assert response.status_code == 302
    concern = SafeguardingConcern.objects.get()
    assert Debrief.objects.get().concern is True
    assert concern.session == ended and concern.organisation == ended.organisation
    assert concern.raised_by == facilitator and concern.raised_at is not None
    assert concern.summary == SUMMARY
    assert concern.status == "open"


def test_the_concern_is_e_mailed_once_to_the_safeguarding_contact_with_the_staff_link(
    client, ended, facilitator, organisation, django_capture_on_commit_callbacks
):
    participant = make_booking(ended, first_name="Morgana", email="morgana@example.org")
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(debrief_url(ended), form_data(concern="yes", concern_summary=SUMMARY))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(debrief_url(ended), form_data(concern="yes", concern_summary="Again"))

    assert len(concern_mail()) == 1
    message = concern_mail()[0]
    assert message.to == [organisation.safeguarding_email]
    concern = SafeguardingConcern.objects.get()
    assert inspect_url(concern) in message.body
    assert ended.workshop.title in message.body and ended.workshop.title in message.subject
    assert SUMMARY in message.body
    assert facilitator.get_full_name() in message.body
    # No participant data: none of the people who booked is named or addressed.
    for detail in (participant.first_name, participant.email, "Sam", "Alex"):
        assert detail not in message.body and detail not in message.subject
    assert concern.notified_to == organisation.safeguarding_email
    assert concern.notified_at is not None


def test_running_the_task_again_sends_nothing(concern, django_capture_on_commit_callbacks):
    assert notifications.send_concern_alert.call(concern.pk) == 1
    assert notifications.send_concern_alert.call(concern.pk) == 0
    assert len(concern_mail()) == 1


def test_without_a_safeguarding_address_each_of_the_staff_is_told(
    ended, facilitator, organisation, editor, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=organisation.pk).update(
        safeguarding_email="", safeguarding_phone="01632 960000"
    )
    colleague = UserFactory(email="coordinator@riverside.example")
    organisation.editors_group.user_set.add(colleague)

    with django_capture_on_commit_callbacks(execute=True):
        file(ended, facilitator, concern_summary=SUMMARY)

    assert sorted(message.to[0] for message in concern_mail()) == [
        "coordinator@riverside.example",
        "editor@riverside.example",
    ]
    concern = SafeguardingConcern.objects.get()
    assert concern.notified_at is not None
    assert organisation.name in concern.notified_to


def staff(organisation, role, email, is_active=True):
    user = UserFactory(email=email)
    add_staff(organisation, user, role)
    if not is_active:  # closed after they were given the role
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


def without_safeguarding_address(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(
        safeguarding_email="", safeguarding_phone="01632 960000"
    )


def recipients():
    return sorted(message.to[0] for message in concern_mail())


def test_the_safeguarding_address_and_each_active_safeguarding_lead_are_told(
    concern, organisation, other_organisation, editor
):
    staff(organisation, Role.SAFEGUARDING_LEAD, "safe-lead@riverside.example")
    staff(organisation, Role.SAFEGUARDING_LEAD, "gone@riverside.example", is_active=False)
    staff(organisation, Role.COORDINATOR, "coordinator@riverside.example")
    staff(other_organisation, Role.SAFEGUARDING_LEAD, "lead@northside.example")

    assert notifications.send_concern_alert.call(concern.pk) == 2

    assert recipients() == sorted([organisation.safeguarding_email, "safe-lead@riverside.example"])
    concern.refresh_from_db()
    # Where it went, as a count: the leads' addresses are not recorded.
    assert organisation.safeguarding_email in concern.notified_to
    assert "(1)" in concern.notified_to and "lead@" not in concern.notified_to
    assert notifications.send_concern_alert.call(concern.pk) == 0
    assert len(concern_mail()) == 2


def test_a_lead_whose_address_is_the_organisations_is_told_once(concern, organisation):
    staff(organisation, Role.SAFEGUARDING_LEAD, organisation.safeguarding_email)
    assert notifications.send_concern_alert.call(concern.pk) == 1
    assert recipients() == [organisation.safeguarding_email]
    concern.refresh_from_db()
    assert concern.notified_to == organisation.safeguarding_email


def test_without_an_address_the_safeguarding_leads_alone_are_told(concern, organisation, editor):
    without_safeguarding_address(organisation)
    staff(organisation, Role.SAFEGUARDING_LEAD, "safe-lead@riverside.example")
    staff(organisation, Role.COORDINATOR, "coordinator@riverside.example")

    assert notifications.send_concern_alert.call(concern.pk) == 1

    assert recipients() == ["safe-lead@riverside.example"]
    concern.refresh_from_db()
    assert organisation.name in concern.notified_to and "lead@" not in concern.notified_to


def test_without_an_address_or_a_lead_the_coordinators_are_told_not_the_editors(
    concern, organisation, editor
):
    without_safeguarding_address(organisation)
    staff(organisation, Role.SAFEGUARDING_LEAD, "gone@riverside.example", is_active=False)
    staff(organisation, Role.COORDINATOR, "coordinator@riverside.example")
    staff(organisation, Role.COORDINATOR, "deputy@riverside.example")

    assert notifications.send_concern_alert.call(concern.pk) == 2

    assert recipients() == ["coordinator@riverside.example", "deputy@riverside.example"]
    concern.refresh_from_db()
    assert organisation.name in concern.notified_to and "(2)" in concern.notified_to


def test_with_nobody_to_tell_nothing_is_claimed(concern, organisation):
    without_safeguarding_address(organisation)
    assert notifications.send_concern_alert.call(concern.pk) == 0
    concern.refresh_from_db()
    assert concern.notified_at is None and concern_mail() == []


def test_a_debrief_without_a_concern_sends_nothing(
    ended, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file(ended, facilitator)
    assert concern_mail() == [] and not SafeguardingConcern.objects.exists()


def test_a_failed_send_gives_the_claim_back(concern, monkeypatch, caplog):
    def fail(*args, **kwargs):
        raise ConnectionError("smtp down for safeguarding@riverside.example")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)

    assert notifications.send_concern_alert.call(concern.pk) == 0

    concern.refresh_from_db()
    assert concern.notified_at is None and concern.notified_to == ""
    assert "riverside.example" not in caplog.text
    monkeypatch.undo()
    assert notifications.send_concern_alert.call(concern.pk) == 1


# --- Staff follow it up -----------------------------------------------------------------------


def test_staff_see_the_concern_page(client, concern, editor, facilitator):
    client.force_login(editor)
    response = client.get(inspect_url(concern))
    assert response.status_code == 200
    html = response.content.decode()
    assert SUMMARY in html and facilitator.get_full_name() in html
    assert concern.session.workshop.title in html


def test_a_safeguarding_lead_sees_and_handles_the_concern(client, concern, organisation):
    lead = staff(organisation, Role.SAFEGUARDING_LEAD, "safe-lead@riverside.example")
    client.force_login(lead)
    assert SUMMARY in client.get(inspect_url(concern)).content.decode()
    response = client.post(edit_url(concern), {"status": "in_hand", "outcome": "Called them."})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "in_hand" and concern.handled_by == lead


def test_another_organisations_safeguarding_lead_gets_a_404(client, concern, other_organisation):
    client.force_login(staff(other_organisation, Role.SAFEGUARDING_LEAD, "lead@north.example"))
    assert client.get(inspect_url(concern)).status_code == 404
    assert client.get(edit_url(concern)).status_code == 404


def test_staff_of_another_organisation_get_a_404(client, concern, other_editor):
    client.force_login(other_editor)
    assert client.get(inspect_url(concern)).status_code == 404
    assert client.get(edit_url(concern)).status_code == 404
    response = client.post(edit_url(concern), {"status": "closed", "outcome": "Nothing"})
    assert response.status_code == 404
    concern.refresh_from_db()
    assert concern.status == "open"
    listing = client.get(reverse("meetings_concerns:index")).content.decode()
    assert concern.session.workshop.title not in listing


@pytest.mark.parametrize("who", ["facilitator", "user"])
def test_facilitators_and_participants_cannot_open_the_concern_page(
    client, concern, facilitator, user, who
):
    client.force_login({"facilitator": facilitator, "user": user}[who])
    response = client.get(inspect_url(concern))
    assert response.status_code in {302, 403}
    assert SUMMARY not in response.content.decode()


def test_a_status_change_records_who_and_when(client, concern, editor):
    client.force_login(editor)

    response = client.post(
        edit_url(concern), {"status": "in_hand", "outcome": "Called the facilitator."}
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "in_hand"
    assert concern.outcome == "Called the facilitator."
    assert concern.handled_by == editor and concern.status_changed_at is not None


def test_a_junk_status_is_refused_and_changes_nothing(client, concern, editor):
    client.force_login(editor)
    response = client.post(edit_url(concern), {"status": "forgotten", "outcome": ""})
    assert response.status_code == 200  # the form again, with its error
    concern.refresh_from_db()
    assert concern.status == "open" and concern.handled_by is None


def test_the_listing_is_newest_first_and_filters_by_status(
    client, concern, editor, workshop, facilitator
):
    client.force_login(editor)
    index = reverse("meetings_concerns:index")
    assert client.get(index).status_code == 200
    html = client.get(index, {"status": "open"}).content.decode()
    assert inspect_url(concern) in html or edit_url(concern) in html
    html = client.get(index, {"status": "closed"}).content.decode()
    assert edit_url(concern) not in html


def test_concerns_cannot_be_added_or_deleted_in_the_admin(client, concern, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("meetings_concerns:add")).status_code in {302, 403}
    assert client.post(reverse("meetings_concerns:delete", args=[concern.pk])).status_code in {
        302,
        403,
    }
    assert SafeguardingConcern.objects.filter(pk=concern.pk).exists()


def test_the_admin_home_shows_open_concerns_to_their_staff_only(
    client, concern, editor, other_editor
):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Open safeguarding concerns" in html
    assert "1 safeguarding concern has not been picked up yet." in html

    client.force_login(other_editor)
    assert (
        "Open safeguarding concerns"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
