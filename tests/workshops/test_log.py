"""The facilitation log: validation, private notes, totals and the admin report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.workshops.choices import Confirmation, LogRole
from peerpath.workshops.models import FacilitationLogEntry
from tests.factories import UserFactory

from .factories import LogEntryFactory, certificate, make_workshop

pytestmark = pytest.mark.django_db

LOG_URL = "/workshops/log/"


@pytest.fixture
def facilitator(user, programme):
    certificate(user, programme)
    return user


def _entry(page, **fields):
    data = {
        "workshop": page.pk,
        "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "role": "co",
        "minutes": 90,
        "participants": 7,
        "co_facilitator": "Jordan",
        "notes": "Quiet start; two new members.",
    }
    data.update(fields)
    return data


def test_log_requires_login(client):
    response = client.get(LOG_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_certified_facilitator_records_a_session(client, facilitator, workshop):
    client.force_login(facilitator)
    response = client.post(LOG_URL, _entry(workshop))
    assert response.status_code == 302
    entry = FacilitationLogEntry.objects.get()
    assert entry.facilitator == facilitator
    assert entry.workshop_title == "Weekly peer support group"
    assert entry.role == LogRole.CO
    assert entry.confirmation == Confirmation.SELF_REPORTED
    page = client.get(LOG_URL).content.decode()
    assert "Quiet start; two new members." in page
    assert "1.5" in page
    assert "Self-reported" in page and "Co-facilitator" in page


def test_totals_add_up(client, facilitator, workshop):
    LogEntryFactory(facilitator=facilitator, workshop=workshop, minutes=90, participants=6)
    LogEntryFactory(facilitator=facilitator, workshop=workshop, minutes=60, participants=4)
    LogEntryFactory(facilitator=UserFactory(), workshop=workshop, minutes=600, participants=9)
    LogEntryFactory(
        facilitator=facilitator,
        workshop=workshop,
        minutes=30,
        participants=3,
        confirmation=Confirmation.CONFIRMED,
    )
    LogEntryFactory(
        facilitator=facilitator,
        workshop=workshop,
        minutes=45,
        participants=3,
        confirmation=Confirmation.AWAITING,
    )
    client.force_login(facilitator)
    totals = client.get(LOG_URL).context["totals"]
    assert totals == {
        "sessions": 4,
        "minutes": 225,
        "hours": 3.8,
        "participants": 16,
        "confirmed_sessions": 1,
        "confirmed_minutes": 30,
        "confirmed_hours": 0.5,
        "self_reported_sessions": 2,
        "self_reported_minutes": 150,
        "self_reported_hours": 2.5,
        "pending_sessions": 1,
    }


def test_the_form_asks_the_role_of_a_self_reported_session(client, facilitator, workshop):
    client.force_login(facilitator)
    response = client.post(LOG_URL, _entry(workshop, role="boss"))
    assert response.status_code == 400
    assert "Select a valid choice" in " ".join(response.context["form"].errors["role"])
    client.post(LOG_URL, _entry(workshop, role="lead"))
    assert FacilitationLogEntry.objects.get().role == LogRole.LEAD


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"date": "2999-01-01"}, "date", "cannot be in the future"),
        ({"date": "not-a-date"}, "date", "Enter a valid date"),
        ({"minutes": -30}, "minutes", "greater than or equal to 1"),
        ({"minutes": 0}, "minutes", "greater than or equal to 1"),
        ({"minutes": 100000}, "minutes", "less than or equal to 720"),
        ({"participants": 0}, "participants", "greater than or equal to 1"),
        ({"participants": 25}, "participants", "more than twice"),
        ({"workshop": 999999}, "workshop", "Select a valid choice"),
        ({"workshop": "abc"}, "workshop", "Select a valid choice"),
    ],
)
def test_nonsense_entries_are_refused_with_a_clear_error(
    client, facilitator, workshop, fields, field, message
):
    client.force_login(facilitator)
    response = client.post(LOG_URL, _entry(workshop, **fields))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not FacilitationLogEntry.objects.exists()


def test_cannot_log_a_workshop_the_certificate_does_not_cover(
    client, facilitator, other_organisation, other_programme
):
    other = make_workshop(other_organisation.index_page, programme=other_programme)
    client.force_login(facilitator)
    response = client.post(LOG_URL, _entry(other))
    assert response.status_code == 400
    assert not FacilitationLogEntry.objects.exists()


def test_revoked_facilitator_can_no_longer_log(client, user, programme, workshop):
    issued = certificate(user, programme)
    issued.revoked_at = timezone.now()
    issued.revocation_reason = "Breach of the code of conduct"
    issued.save()
    client.force_login(user)
    response = client.post(LOG_URL, _entry(workshop))
    assert response.status_code == 400
    assert "You can log sessions once you hold a valid certificate" not in response.content.decode()
    assert not FacilitationLogEntry.objects.exists()


def test_uncertified_user_sees_how_to_start(client, user, workshop):
    client.force_login(user)
    response = client.get(LOG_URL)
    assert response.status_code == 200
    assert "You can log sessions once you hold a valid certificate" in response.content.decode()


def test_facilitators_see_only_their_own_entries(client, facilitator, other_user, workshop):
    LogEntryFactory(facilitator=other_user, workshop=workshop, notes="Someone else's notes")
    client.force_login(facilitator)
    assert "Someone else&#x27;s notes" not in client.get(LOG_URL).content.decode()


def test_entries_made_from_sessions_are_kept_and_say_where_they_stand(
    client, facilitator, workshop
):
    awaiting = LogEntryFactory(
        facilitator=facilitator, workshop=workshop, confirmation=Confirmation.AWAITING
    )
    queried = LogEntryFactory(
        facilitator=facilitator,
        workshop=workshop,
        confirmation=Confirmation.QUERIED,
        query_note="Was this the Tuesday group?",
    )
    client.force_login(facilitator)
    page = client.get(LOG_URL).content.decode()
    assert "Awaiting confirmation" in page
    assert "Queried" in page and "Was this the Tuesday group?" in page
    assert reverse("workshops:delete_log_entry", args=[awaiting.pk]) not in page
    response = client.post(reverse("workshops:delete_log_entry", args=[awaiting.pk]))
    assert response.status_code == 409
    assert "stays in your record" in response.content.decode()
    assert FacilitationLogEntry.objects.filter(pk__in=[awaiting.pk, queried.pk]).count() == 2


def test_delete_own_entry_only(client, facilitator, other_user, workshop):
    mine = LogEntryFactory(facilitator=facilitator, workshop=workshop)
    theirs = LogEntryFactory(facilitator=other_user, workshop=workshop)
    client.force_login(facilitator)
    assert client.post(reverse("workshops:delete_log_entry", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("workshops:delete_log_entry", args=[mine.pk])).status_code == 405
    assert client.post(reverse("workshops:delete_log_entry", args=[mine.pk])).status_code == 302
    assert list(FacilitationLogEntry.objects.all()) == [theirs]


def test_entries_survive_the_workshop_being_deleted(facilitator, workshop):
    entry = LogEntryFactory(facilitator=facilitator, workshop=workshop)
    workshop.delete()
    entry.refresh_from_db()
    assert entry.workshop is None
    assert entry.workshop_title == "Weekly peer support group"


# The admin report


def test_admin_report_shows_totals_per_facilitator_without_notes(
    client, staff_user, facilitator, workshop
):
    LogEntryFactory(facilitator=facilitator, workshop=workshop, minutes=90, participants=6)
    LogEntryFactory(facilitator=facilitator, workshop=workshop, minutes=30, participants=4)
    client.force_login(staff_user)
    response = client.get(reverse("workshops_facilitation_report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert facilitator.email in html
    assert "2.0" in html
    assert "the group was quiet" not in html


def test_admin_report_exports_csv_without_notes(client, staff_user, facilitator, workshop):
    LogEntryFactory(facilitator=facilitator, workshop=workshop, minutes=90, participants=6)
    client.force_login(staff_user)
    response = client.get(reverse("workshops_facilitation_report"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    assert facilitator.email in content
    assert ",90," in content
    assert "Confirmed sessions,Self-reported sessions" in content
    # One session, self-reported: none confirmed.
    assert ",1,0,1,90," in content
    assert "quiet" not in content


def test_admin_report_refused_to_organisation_editors(client, editor):
    client.force_login(editor)
    response = client.get(reverse("workshops_facilitation_report"))
    assert response.status_code in (302, 403)


def test_long_logs_are_paginated_and_bad_page_numbers_are_harmless(client, facilitator, workshop):
    LogEntryFactory.create_batch(55, facilitator=facilitator, workshop=workshop)
    client.force_login(facilitator)
    assert len(client.get(LOG_URL).context["entries"].object_list) == 50
    assert len(client.get(LOG_URL, {"page": "2"}).context["entries"].object_list) == 5
    assert client.get(LOG_URL, {"page": "zz"}).status_code == 200
    assert client.get(LOG_URL, {"page": "999"}).context["totals"]["sessions"] == 55
