"""Debriefs: the lead files one per session, which completes it and makes the facilitators' log
entries; nobody else files one, nor a second; leads are reminded once."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings import debriefs
from peerpath.meetings.choices import SessionStatus
from peerpath.meetings.models import (
    Debrief,
    SafeguardingConcern,
    Session,
    SessionRecord,
    SignpostingCategory,
)
from peerpath.workshops.choices import Confirmation, LogRole
from peerpath.workshops.models import FacilitationLogEntry
from tests.concurrency import run_together
from tests.factories import UserFactory

from .debrief_fixtures import *  # noqa: F403 - the fixtures: an ended session and its roster
from .debrief_fixtures import CHECKS, DAY, HOUR, debrief_url, file, form_data, nothing_recorded
from .factories import make_session, put_on_roster

pytestmark = pytest.mark.django_db

# --- The lead files it ------------------------------------------------------------------------


def test_the_lead_files_the_debrief_which_completes_the_session_and_makes_the_log_entries(
    client, ended, facilitator, co_facilitator, categories
):
    client.force_login(facilitator)
    response = client.post(debrief_url(ended), form_data(categories[:1]))

    assert response.status_code == 302 and response.url == debrief_url(ended)
    debrief = Debrief.objects.get(session=ended)
    assert debrief.filed_by == facilitator
    assert debrief.attendance == 3 and debrief.how_it_went == "well"
    assert list(debrief.signposting.all()) == categories[:1]
    assert debrief.fidelity == [
        {"check": CHECKS[0], "done": True},
        {"check": CHECKS[1], "done": True},
        {"check": CHECKS[2], "done": False},
    ]
    assert debrief.concern is False
    ended.refresh_from_db()
    assert ended.status == SessionStatus.COMPLETED and ended.attendance_count == 3
    entries = {entry.facilitator: entry for entry in FacilitationLogEntry.objects.all()}
    assert set(entries) == {facilitator, co_facilitator}
    assert entries[facilitator].role == LogRole.LEAD
    assert entries[co_facilitator].role == LogRole.CO
    assert all(entry.confirmation == Confirmation.AWAITING for entry in entries.values())
    assert all(entry.participants == 3 for entry in entries.values())
    assert SessionRecord.objects.filter(session=ended).count() == 2


def test_the_co_facilitator_is_asked_to_confirm_their_part_once_it_commits(
    ended, facilitator, co_facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file(ended, facilitator)
    assert co_facilitator.email in [message.to[0] for message in mail.outbox]
    assert facilitator.email not in [message.to[0] for message in mail.outbox]


def test_no_signposting_needed_is_recorded_as_none(ended, facilitator):
    debrief = file(ended, facilitator)
    assert list(debrief.signposting.all()) == []


def test_a_completed_session_keeps_its_completion_when_its_debrief_is_filed(
    client, ended, facilitator
):
    client.force_login(facilitator)
    client.post(reverse("meetings:complete", args=[ended.pk]))
    ended.refresh_from_db()
    completed_at = ended.completed_at

    file(ended, facilitator)

    ended.refresh_from_db()
    assert ended.status == SessionStatus.COMPLETED and ended.completed_at == completed_at


def test_the_debrief_form_is_prefilled_and_explains_why_no_names(client, ended, facilitator):
    client.force_login(facilitator)
    response = client.get(debrief_url(ended))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="attendance" value="3"' in html
    assert "Write no names or details that identify anyone" in html
    assert "experience of mental illness" in html
    assert "safeguarding lead will contact you" in html
    for check in CHECKS:
        assert check in html
    assert "No signposting was needed" in html
    assert "Crisis line" in html  # the organisation's default categories


def test_the_debrief_page_takes_a_fixed_number_of_queries(
    client, ended, facilitator, django_assert_max_num_queries
):
    client.force_login(facilitator)
    client.get(debrief_url(ended))  # the site's settings, the session: cached from here on
    with django_assert_max_num_queries(12):
        assert client.get(debrief_url(ended)).status_code == 200
    file(ended, facilitator, concern_summary="A worry.")
    with django_assert_max_num_queries(10):
        assert client.get(debrief_url(ended)).status_code == 200


# --- Nobody else files it, and nothing is recorded ------------------------------------------


@pytest.mark.parametrize("who", ["co_facilitator", "editor", "participant", "other_editor"])
def test_only_the_lead_may_file_the_debrief(
    client, ended, co_facilitator, editor, user, other_editor, who
):
    people = {
        "co_facilitator": co_facilitator,
        "editor": editor,
        "participant": user,
        "other_editor": other_editor,
    }
    client.force_login(people[who])

    response = client.post(debrief_url(ended), form_data())

    assert response.status_code == 403
    assert nothing_recorded(ended)


def test_the_service_refuses_a_co_facilitator(ended, co_facilitator):
    with pytest.raises(debriefs.DebriefRefused) as refused:
        file(ended, co_facilitator)
    assert refused.value.code == "not_lead"
    assert nothing_recorded(ended)


def test_anonymous_visitors_are_sent_to_log_in(client, ended):
    response = client.post(debrief_url(ended), form_data())
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert nothing_recorded(ended)


def test_an_unknown_session_is_a_404(client, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("meetings:debrief", args=[999999])).status_code == 404


def test_the_wrong_method_is_a_405(client, ended, facilitator):
    client.force_login(facilitator)
    assert client.put(debrief_url(ended)).status_code == 405
    assert nothing_recorded(ended)


def test_a_second_debrief_is_refused_with_a_409(client, ended, facilitator):
    client.force_login(facilitator)
    client.post(debrief_url(ended), form_data())

    response = client.post(debrief_url(ended), form_data(how_it_went="difficult"))

    assert response.status_code == 409
    assert "already filed" in response.content.decode()
    assert Debrief.objects.get().how_it_went == "well"
    assert FacilitationLogEntry.objects.count() == 2


def test_the_service_refuses_a_second_debrief(ended, facilitator):
    file(ended, facilitator)
    with pytest.raises(debriefs.DebriefRefused) as refused:
        file(ended, facilitator, concern_summary="Something worried me.")
    assert refused.value.code == "filed"
    assert Debrief.objects.count() == 1 and not SafeguardingConcern.objects.exists()


def test_a_cancelled_session_has_no_debrief(client, ended, facilitator):
    Session.objects.filter(pk=ended.pk).update(
        status=SessionStatus.CANCELLED, cancellation_reason="Snow"
    )
    client.force_login(facilitator)

    assert "cancelled" in client.get(debrief_url(ended)).content.decode()
    response = client.post(debrief_url(ended), form_data())

    assert response.status_code == 409
    assert not Debrief.objects.exists() and not FacilitationLogEntry.objects.exists()
    with pytest.raises(debriefs.DebriefRefused) as refused:
        file(ended, facilitator)
    assert refused.value.code == "closed"


def test_a_session_that_has_not_started_has_no_debrief_yet(client, workshop, facilitator):
    session = make_session(workshop)
    put_on_roster(session, facilitator)
    client.force_login(facilitator)

    response = client.post(debrief_url(session), form_data())

    assert response.status_code == 400
    assert "once the session has started" in response.content.decode()
    assert nothing_recorded(session)


def test_another_organisations_category_is_refused(client, ended, facilitator, other_organisation):
    foreign = SignpostingCategory.objects.filter(organisation=other_organisation).first()
    client.force_login(facilitator)

    response = client.post(debrief_url(ended), form_data([foreign]))

    assert response.status_code == 400
    assert "Choose signposting from the list" in response.content.decode()
    assert nothing_recorded(ended)
    with pytest.raises(debriefs.DebriefRefused) as refused:
        file(ended, facilitator, signposting=[foreign])
    assert refused.value.code == "foreign"
    assert nothing_recorded(ended)


def test_signposting_and_none_needed_together_is_an_error(client, ended, facilitator, categories):
    client.force_login(facilitator)
    data = form_data(categories[:1], no_signposting="on")

    response = client.post(debrief_url(ended), data)

    assert response.status_code == 400
    assert "choose one" in response.content.decode()
    assert nothing_recorded(ended)


def test_signposting_must_be_answered(client, ended, facilitator):
    client.force_login(facilitator)
    data = form_data()
    del data["no_signposting"]

    response = client.post(debrief_url(ended), data)

    assert response.status_code == 400
    assert "No signposting was needed" in response.content.decode()
    assert nothing_recorded(ended)


def test_a_concern_needs_a_summary(client, ended, facilitator):
    client.force_login(facilitator)

    response = client.post(debrief_url(ended), form_data(concern="yes", concern_summary="  "))

    assert response.status_code == 400
    assert "Say briefly what happened" in response.content.decode()
    assert nothing_recorded(ended)


@pytest.mark.parametrize(
    "junk",
    [
        {"attendance": "lots"},
        {"attendance": "-1"},
        {"attendance": "100000"},
        {"how_it_went": "brilliant"},
        {"signposting": ["abc"], "no_signposting": ""},
        {"signposting": ["999999"], "no_signposting": ""},
        {"fidelity": ["Something the workshop never asked"]},
        {"concern": "maybe"},
        {"concern": ""},
        {"notes": "x" * 3000},
        {"concern": "yes", "concern_summary": "y" * 3000},
    ],
)
def test_junk_is_a_400_and_changes_nothing(client, ended, facilitator, junk):
    client.force_login(facilitator)
    response = client.post(debrief_url(ended), form_data(**junk))
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert nothing_recorded(ended)


def test_a_fidelity_check_the_workshop_does_not_have_is_refused_by_the_service(ended, facilitator):
    with pytest.raises(debriefs.DebriefRefused) as refused:
        file(ended, facilitator, fidelity=["Something else"])
    assert refused.value.code == "invalid"
    assert nothing_recorded(ended)


def test_an_empty_post_is_a_400(client, ended, facilitator):
    client.force_login(facilitator)
    assert client.post(debrief_url(ended), {}).status_code == 400
    assert nothing_recorded(ended)


# --- Reading a filed debrief --------------------------------------------------------------------


def test_the_filed_debrief_is_read_by_co_facilitators_without_the_concerns_words(
    client, ended, facilitator, co_facilitator
):
    file(ended, facilitator, notes="Good energy.", concern_summary="A worry about someone.")
    client.force_login(co_facilitator)

    html = client.get(debrief_url(ended)).content.decode()

    assert "Debrief filed" in html and "Good energy." in html
    assert "raised with the organisation" in html
    assert "A worry about someone." not in html
    assert "<form" not in html.split("debrief-main")[1].split("</div>")[0]


def test_the_lead_and_staff_read_the_concern_they_raised(client, ended, facilitator, editor):
    file(ended, facilitator, concern_summary="A worry about someone.")
    for person in (facilitator, editor):
        client.force_login(person)
        assert "A worry about someone." in client.get(debrief_url(ended)).content.decode()


def test_a_co_facilitator_sees_who_will_file_the_debrief(client, ended, co_facilitator):
    client.force_login(co_facilitator)
    html = client.get(debrief_url(ended)).content.decode()
    assert "The lead facilitator" in html and 'name="how_it_went"' not in html


def test_people_who_do_not_run_the_session_cannot_read_its_debrief(
    client, ended, facilitator, user, other_editor
):
    file(ended, facilitator, notes="Good energy.")
    for person in (user, other_editor):
        client.force_login(person)
        response = client.get(debrief_url(ended))
        assert response.status_code == 403
        assert "Good energy." not in response.content.decode()


# --- The roster page and My sessions --------------------------------------------------------


def test_completing_the_session_takes_the_lead_to_the_debrief(client, ended, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("meetings:complete", args=[ended.pk]))
    assert response.url == debrief_url(ended)


def test_completing_the_session_takes_a_co_facilitator_back_to_the_roster(
    client, ended, co_facilitator
):
    client.force_login(co_facilitator)
    response = client.post(reverse("meetings:complete", args=[ended.pk]))
    assert response.url == reverse("meetings:roster", args=[ended.pk])


def test_the_roster_page_offers_the_debrief_to_the_lead_then_says_it_is_filed(
    client, ended, facilitator
):
    client.force_login(facilitator)
    roster = reverse("meetings:roster", args=[ended.pk])
    assert "File the debrief" in client.get(roster).content.decode()

    file(ended, facilitator)

    html = client.get(roster).content.decode()
    assert "Debrief filed" in html and "File the debrief" not in html


def test_my_sessions_lists_the_debriefs_to_file_and_marks_overdue_ones(
    client, workshop, facilitator
):
    now = timezone.now()
    recent = make_session(workshop, starts_at=now - 5 * HOUR, venue_name="Recent Hall")
    old = make_session(workshop, starts_at=now - 5 * DAY, venue_name="Old Hall")
    filed = make_session(workshop, starts_at=now - 2 * DAY, venue_name="Filed Hall")
    for session in (recent, old, filed):
        put_on_roster(session, facilitator)
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.COMPLETED, completed_at=session.ends_at
        )
    file(filed, facilitator)

    awaiting = debriefs.awaiting_debrief(facilitator, now)
    assert [session.pk for session in awaiting] == [recent.pk, old.pk]
    assert [session.debrief_overdue for session in awaiting] == [False, True]

    client.force_login(facilitator)
    html = client.get(reverse("meetings:mine")).content.decode()
    assert "Debriefs to file" in html and "Overdue" in html
    assert debrief_url(recent) in html and debrief_url(old) in html
    assert debrief_url(filed) not in html


def test_my_sessions_lists_no_debriefs_of_sessions_i_co_facilitated(client, ended, co_facilitator):
    Session.objects.filter(pk=ended.pk).update(status=SessionStatus.COMPLETED)
    client.force_login(co_facilitator)
    assert "Debriefs to file" not in client.get(reverse("meetings:mine")).content.decode()


# --- Reminders ------------------------------------------------------------------------------


@pytest.fixture
def yesterday(workshop, facilitator):
    session = make_session(workshop, starts_at=timezone.now() - 30 * HOUR)
    put_on_roster(session, facilitator)
    return session


def test_the_lead_is_reminded_once_of_a_missing_debrief(yesterday, facilitator):
    assert debriefs.send_debrief_reminders() == 1

    assert [message.to for message in mail.outbox] == [[facilitator.email]]
    assert debrief_url(yesterday) in mail.outbox[0].body
    assert yesterday.workshop.title in mail.outbox[0].subject
    yesterday.refresh_from_db()
    assert yesterday.debrief_reminded_at is not None

    assert debriefs.send_debrief_reminders() == 0
    assert len(mail.outbox) == 1


def test_a_session_another_run_claimed_is_not_reminded(yesterday):
    assert debriefs.claim(yesterday.pk, timezone.now())
    assert debriefs.send_debrief_reminders() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "case", ["filed", "cancelled", "too_recent", "too_old", "no_lead", "co_only"]
)
def test_no_reminder_when_none_is_due(workshop, facilitator, co_facilitator, case):
    now = timezone.now()
    starts = {"too_recent": now - 10 * HOUR, "too_old": now - 20 * DAY}.get(case, now - 30 * HOUR)
    session = make_session(workshop, starts_at=starts)
    if case != "no_lead":
        put_on_roster(session, facilitator, "co" if case == "co_only" else "lead")
    if case == "filed":
        file(session, facilitator)
    if case == "cancelled":
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.CANCELLED, cancellation_reason="Snow"
        )

    assert debriefs.send_debrief_reminders(now) == 0
    assert mail.outbox == []


def test_a_session_completed_over_a_day_ago_is_reminded(workshop, facilitator):
    session = make_session(workshop, starts_at=timezone.now() - 26 * HOUR)
    put_on_roster(session, facilitator)
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.COMPLETED, completed_at=timezone.now() - 25 * HOUR
    )
    assert debriefs.send_debrief_reminders() == 1


def test_a_lead_without_an_address_is_not_reminded_and_not_asked_again(workshop, organisation):
    lead = UserFactory(email="")
    session = make_session(workshop, starts_at=timezone.now() - 30 * HOUR)
    put_on_roster(session, lead)

    assert debriefs.send_debrief_reminders() == 0
    assert mail.outbox == []
    session.refresh_from_db()
    assert session.debrief_reminded_at is not None


def test_the_reminder_command_sends_them(yesterday, capsys):
    call_command("send_debrief_reminders")
    assert "Sent 1 debrief reminder(s)." in capsys.readouterr().out
    assert len(mail.outbox) == 1


# --- Double submits racing on PostgreSQL ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_debriefs_file_one_and_send_its_concern_once(ended, facilitator):
    def filer():
        return file(ended, facilitator, concern_summary="A worry about someone.")

    outcomes = run_together(*[filer for _ in range(5)])

    assert sum(isinstance(outcome, Debrief) for outcome in outcomes) == 1
    refusals = [outcome for outcome in outcomes if not isinstance(outcome, Debrief)]
    assert all(
        isinstance(outcome, debriefs.DebriefRefused) and outcome.code == "filed"
        for outcome in refusals
    )
    assert Debrief.objects.count() == 1 and SafeguardingConcern.objects.count() == 1
    assert FacilitationLogEntry.objects.count() == 2
    assert len([m for m in mail.outbox if "afeguarding" in m.subject]) == 1
