"""Supervised practice: logging, supervisor sign-off and send-back, immutability after sign-off,
requirement progress, the pages and the personal-data hooks."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.training import practice, privacy, requirements
from peerpath.training.models import (
    ProgrammeRequirement,
    SignedOffEntryError,
    SupervisedPracticeEntry,
    SupervisorAssignment,
)
from peerpath.training.signals import full_certification_requirements_met
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = SupervisedPracticeEntry.Status
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def supervisor(user):
    supervisor = UserFactory(first_name="Sam", last_name="Reyes")
    SupervisorAssignment.objects.create(supervisor=supervisor, learner=user)
    return supervisor


@pytest.fixture
def requirement(programme):
    return ProgrammeRequirement.objects.create(
        programme=programme, kind="supervised_hours", minimum=Decimal("6")
    )


def log(user, programme, hours="3", description="Co-ran the Tuesday group with Sam."):
    return practice.log_entry(
        user, programme, date=YESTERDAY, hours=Decimal(hours), description=description
    )


def test_logging_needs_an_enrolment(user, programme):
    with pytest.raises(practice.PracticeError, match="Enrol"):
        log(user, programme)
    assert not SupervisedPracticeEntry.objects.exists()


def test_practice_cannot_be_logged_for_the_future(user, programme, enrolled):
    with pytest.raises(practice.PracticeError, match="not happened yet"):
        practice.log_entry(
            user,
            programme,
            date=timezone.localdate() + datetime.timedelta(days=1),
            hours=Decimal(2),
            description="Planned",
        )


def test_the_assigned_supervisor_signs_off(user, programme, enrolled, supervisor):
    entry = practice.sign_off(log(user, programme), supervisor)
    assert entry.status == Status.SIGNED_OFF
    assert entry.reviewed_by == supervisor and entry.reviewed_at is not None


def test_only_the_assigned_supervisor_may_decide(user, programme, enrolled, supervisor):
    entry = log(user, programme)
    stranger = UserFactory()
    for decide in (practice.sign_off, lambda e, s: practice.send_back(e, s, "No")):
        with pytest.raises(practice.PracticeError, match="not this learner's supervisor"):
            decide(entry, stranger)
    with pytest.raises(practice.PracticeError, match="not this learner's supervisor"):
        practice.sign_off(entry, user)  # learners cannot sign off their own hours
    entry.refresh_from_db()
    assert entry.status == Status.PENDING


def test_an_entry_is_decided_once(user, programme, enrolled, supervisor):
    entry = practice.sign_off(log(user, programme), supervisor)
    with pytest.raises(practice.PracticeError, match="already been signed off or sent back"):
        practice.send_back(entry, supervisor, "Changed my mind")
    entry.refresh_from_db()
    assert entry.status == Status.SIGNED_OFF and entry.comment == ""


def test_sending_back_needs_a_comment_and_the_hours_do_not_count(
    user, programme, enrolled, supervisor, requirement
):
    entry = log(user, programme)
    with pytest.raises(practice.PracticeError, match="Say what needs correcting"):
        practice.send_back(entry, supervisor, "   ")
    entry = practice.send_back(entry, supervisor, "This was a training day, not practice.")
    assert entry.status == Status.SENT_BACK
    (progress,) = requirements.full_certification_progress(user.pk, [programme.pk])[programme.pk]
    assert progress.done == 0 and not progress.is_met


def test_signed_off_entries_cannot_be_changed_or_deleted(user, programme, enrolled, supervisor):
    entry = practice.sign_off(log(user, programme), supervisor)
    entry.hours = Decimal("12")
    with pytest.raises(SignedOffEntryError):
        entry.save()
    with pytest.raises(SignedOffEntryError):
        entry.delete()
    stored = SupervisedPracticeEntry.objects.get(pk=entry.pk)
    assert stored.hours == Decimal("3")


def test_pending_entries_can_still_be_corrected(user, programme, enrolled):
    entry = log(user, programme)
    entry.hours = Decimal("2.5")
    entry.save()
    assert SupervisedPracticeEntry.objects.get(pk=entry.pk).hours == Decimal("2.5")


def test_requirement_progress_counts_signed_off_hours(
    user, programme, enrolled, supervisor, requirement
):
    practice.sign_off(log(user, programme, hours="4"), supervisor)
    log(user, programme, hours="5")  # pending: does not count yet
    (progress,) = requirements.full_certification_progress(user.pk, [programme.pk])[programme.pk]
    assert (progress.done, progress.needed, progress.percent) == (Decimal(4), Decimal(6), 66)
    assert not requirements.full_requirements_met(user.pk, programme.pk)


def test_a_programme_without_requirements_has_none_to_meet(user, programme, enrolled):
    assert requirements.full_certification_progress(user.pk, [programme.pk]) == {}
    assert not requirements.full_requirements_met(user.pk, programme.pk)


def test_meeting_the_requirements_is_announced_once_after_commit(
    user, programme, enrolled, supervisor, requirement, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, **kwargs):
        heard.append((kwargs["user"].pk, kwargs["programme"].pk))

    full_certification_requirements_met.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            practice.sign_off(log(user, programme, hours="4"), supervisor)
        assert heard == []
        with django_capture_on_commit_callbacks(execute=True):
            practice.sign_off(log(user, programme, hours="2"), supervisor)
        with django_capture_on_commit_callbacks(execute=True):
            practice.sign_off(log(user, programme, hours="2"), supervisor)
    finally:
        full_certification_requirements_met.disconnect(receiver)
    assert heard == [(user.pk, programme.pk)]


def test_a_learner_cannot_supervise_themselves(user):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        SupervisorAssignment.objects.create(supervisor=user, learner=user)


# The pages.


def test_learner_logs_practice_on_their_page(client, user, programme, enrolled, requirement):
    client.force_login(user)
    url = reverse("training:practice_log", args=[programme.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "0 of 6 hours" in page.content.decode()
    response = client.post(
        url, {"date": YESTERDAY.isoformat(), "hours": "2.5", "description": "Ran the group"}
    )
    assert response.status_code == 302
    entry = SupervisedPracticeEntry.objects.get()
    assert (entry.learner, entry.hours, entry.status) == (user, Decimal("2.5"), Status.PENDING)


@pytest.mark.parametrize(
    "data",
    [
        {"date": "", "hours": "2", "description": "x"},
        {"date": "2020-01-01", "hours": "0", "description": "x"},
        {"date": "2020-01-01", "hours": "25", "description": "x"},
        {"date": "2020-01-01", "hours": "2", "description": ""},
        {"date": "2999-01-01", "hours": "2", "description": "x"},
        {"date": "not a date", "hours": "lots", "description": "x"},
    ],
)
def test_bad_practice_entries_are_refused_with_a_message(client, user, programme, enrolled, data):
    client.force_login(user)
    response = client.post(reverse("training:practice_log", args=[programme.pk]), data)
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert not SupervisedPracticeEntry.objects.exists()


def test_the_practice_page_is_only_for_enrolled_learners(client, user, programme):
    url = reverse("training:practice_log", args=[programme.pk])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(user)
    assert client.get(url).status_code == 404


def test_supervisor_page_lists_and_signs_off(client, user, programme, enrolled, supervisor):
    entry = log(user, programme)
    client.force_login(supervisor)
    page = client.get(reverse("training:supervision")).content.decode()
    assert "Co-ran the Tuesday group" in page
    response = client.post(reverse("training:practice_sign_off", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.SIGNED_OFF


def test_supervisor_sends_back_with_a_comment(client, user, programme, enrolled, supervisor):
    entry = log(user, programme)
    client.force_login(supervisor)
    url = reverse("training:practice_send_back", args=[entry.pk])
    client.post(url, {"comment": ""})
    entry.refresh_from_db()
    assert entry.status == Status.PENDING
    client.post(url, {"comment": "Add the date of the second session."})
    entry.refresh_from_db()
    assert entry.status == Status.SENT_BACK
    client.force_login(user)
    page = client.get(reverse("training:practice_log", args=[programme.pk])).content.decode()
    assert "Add the date of the second session." in page


def test_supervision_pages_are_closed_to_everyone_else(client, user, programme, enrolled):
    entry = log(user, programme)
    other_supervisor = UserFactory()
    SupervisorAssignment.objects.create(supervisor=other_supervisor, learner=UserFactory())
    client.force_login(user)
    assert client.get(reverse("training:supervision")).status_code == 404
    assert client.post(reverse("training:practice_sign_off", args=[entry.pk])).status_code == 404
    client.force_login(other_supervisor)
    assert client.get(reverse("training:supervision")).status_code == 200
    assert client.post(reverse("training:practice_sign_off", args=[entry.pk])).status_code == 404
    assert client.get(reverse("training:practice_sign_off", args=[entry.pk])).status_code == 405
    entry.refresh_from_db()
    assert entry.status == Status.PENDING


def test_my_training_shows_requirement_progress_and_the_supervision_link(
    client, user, programme, enrolled, supervisor, requirement
):
    practice.sign_off(log(user, programme, hours="3"), supervisor)
    client.force_login(user)
    page = client.get(reverse("training:my_training")).content.decode()
    assert "3 of 6 hours" in page
    assert reverse("training:practice_log", args=[programme.pk]) in page
    client.force_login(supervisor)
    page = client.get(reverse("training:my_training")).content.decode()
    assert reverse("training:supervision") in page


# Personal data.


def test_practice_is_exported_and_erased(user, programme, enrolled, supervisor):
    practice.send_back(log(user, programme), supervisor, "Which group?")
    practice.sign_off(log(user, programme), supervisor)
    data = privacy.export_personal_data(user)["data"]
    assert [e["status"] for e in data["supervised_practice"]] == ["sent_back", "signed_off"]
    assert data["supervised_practice"][0]["supervisor_comment"] == "Which group?"
    assert len(data["supervisors"]) == 1
    assert len(privacy.export_personal_data(supervisor)["data"]["supervising"]) == 1
    privacy.erase_personal_data(user)
    assert not SupervisedPracticeEntry.objects.exists()
    assert not SupervisorAssignment.objects.exists()
