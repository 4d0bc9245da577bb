"""The coach view (coordination/coaching.py, cohorts_admin.CoachView) and nudges (nudges.py): each
stuck-point rule, the summary, constant queries, and at most one nudge a day."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerpath.coordination import coaching, nudges
from peerpath.coordination.cohorts import add_members
from peerpath.coordination.models import Cohort, CohortMember
from peerpath.training import progress
from peerpath.training.models import Enrolment
from tests.coordination.conftest import make_member
from tests.training.factories import answers_for, build_module, question

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def modules(runs_programme):
    reading = build_module(runs_programme, title="Welcome")
    check = build_module(
        runs_programme, title="Listening", questions=[question()], check_attempt_limit=1
    )
    return reading, check


@pytest.fixture
def cohort(organisation, runs_programme, modules):
    cohort = Cohort.objects.create(organisation=organisation, name="Spring volunteers")
    cohort.programmes.add(runs_programme)
    return cohort


def points(cohort, user, **options):
    rows = coaching.coach_rows(cohort, **options)
    row = next(row for row in rows if row.user == user)
    return {point.kind for point in row.stuck}, row


def idle(user, days):
    Enrolment.objects.filter(user=user).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_a_member_idle_for_the_chosen_number_of_days_is_stuck(cohort, member):
    add_members(cohort, [member])
    idle(member, 20)
    kinds, row = points(cohort, member)
    assert kinds == {"inactive"}
    assert "No activity for 20 days." in row.stuck[0].reason
    assert points(cohort, member, inactive_days=30)[0] == set()


def test_a_member_who_used_every_attempt_without_passing_is_stuck(cohort, member, modules):
    _reading, check = modules
    add_members(cohort, [member])
    progress.submit_check(member, check, answers_for(check, correct=False), 1)
    kinds, row = points(cohort, member)
    assert kinds == {"attempts"}
    assert "Listening" in row.stuck[0].reason


def test_a_member_who_passed_on_the_last_attempt_is_not_stuck(cohort, member, modules):
    _reading, check = modules
    add_members(cohort, [member])
    progress.submit_check(member, check, answers_for(check, correct=True), 1)
    assert points(cohort, member)[0] == set()


def test_a_check_window_closing_within_a_week_or_closed_is_a_stuck_point(
    cohort, member, runs_programme
):
    runs_programme.check_window_days = 30
    runs_programme.save_revision().publish()
    add_members(cohort, [member])
    enrolled_at = Enrolment.objects.get(user=member).enrolled_at
    now = enrolled_at + 25 * DAY
    Enrolment.objects.filter(user=member).update(last_activity_at=now)
    assert points(cohort, member, now=now)[0] == {"window_closing"}
    assert points(cohort, member, now=enrolled_at + 10 * DAY)[0] == set()
    later = enrolled_at + 31 * DAY
    Enrolment.objects.filter(user=member).update(last_activity_at=later)
    assert points(cohort, member, now=later)[0] == {"window_closed"}


def test_a_passed_target_date_without_completion_is_a_stuck_point(cohort, member):
    cohort.starts_on = timezone.localdate() - 30 * DAY
    cohort.target_on = timezone.localdate() - DAY
    cohort.save()
    add_members(cohort, [member])
    assert points(cohort, member)[0] == {"target"}


def test_a_member_who_completed_is_never_stuck(cohort, member):
    cohort.starts_on = timezone.localdate() - 30 * DAY
    cohort.target_on = timezone.localdate() - DAY
    cohort.save()
    add_members(cohort, [member])
    idle(member, 40)
    Enrolment.objects.filter(user=member).update(
        completed_at=timezone.now(), percent_complete=100, required_done=2
    )
    kinds, row = points(cohort, member)
    assert kinds == set()
    assert row.state == coaching.MemberState.COMPLETED


def test_the_summary_counts_each_member_once_and_bands_their_progress(cohort, organisation, member):
    started = make_member(organisation, first_name="Sam")
    stuck = make_member(organisation, first_name="Sid")
    add_members(cohort, [member, started, stuck])
    Enrolment.objects.filter(user=started).update(
        started_at=timezone.now(), percent_complete=50, required_done=1
    )
    idle(stuck, 20)
    summary = coaching.summarise(coaching.coach_rows(cohort))
    assert summary.members == 3
    assert summary.counts == {"completed": 0, "stuck": 1, "not_started": 1, "on_track": 1}
    assert [band["count"] for band in summary.distribution] == [2, 0, 0, 1, 0, 0]


def coach_url(cohort):
    return reverse("coordination_cohorts:coach", args=[cohort.pk])


def test_the_coach_view_shows_progress_and_plain_reasons(client, coordinator, cohort, member):
    add_members(cohort, [member])
    idle(member, 20)
    client.force_login(coordinator)
    response = client.get(coach_url(cohort))
    assert response.status_code == 200
    page = response.content.decode()
    assert "No activity for 20 days." in page
    assert '<progress max="100" value="0"' in page
    assert "0 of 2 modules" in page
    assert "Last active 20 days ago" in page


def test_only_stuck_hides_members_who_are_not(client, coordinator, cohort, organisation, member):
    moving = make_member(organisation, first_name="Mo", last_name="Ving")
    add_members(cohort, [member, moving])
    idle(member, 20)
    client.force_login(coordinator)
    page = client.get(coach_url(cohort), {"only_stuck": "on"}).content.decode()
    assert "Mo Ving" not in page
    assert "Val" in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_coach_view_costs_the_same_queries_for_more_members(
    client, coordinator, cohort, organisation, django_assert_num_queries
):
    client.force_login(coordinator)
    add_members(cohort, [make_member(organisation) for _ in range(2)])
    client.get(coach_url(cohort))  # warm the programme structure cache
    with_two = count_queries(client, coach_url(cohort))
    add_members(cohort, [make_member(organisation) for _ in range(8)])
    with django_assert_num_queries(with_two):
        assert client.get(coach_url(cohort)).status_code == 200


def test_another_organisations_cohort_is_a_404(client, other_coordinator, cohort):
    client.force_login(other_coordinator)
    assert client.get(coach_url(cohort)).status_code == 404


def test_editors_and_learners_are_refused_and_anonymous_sent_to_log_in(
    client, editor, member, cohort
):
    client.force_login(editor)
    assert client.get(coach_url(cohort)).status_code in {302, 403}
    client.force_login(member)
    assert client.get(coach_url(cohort)).status_code in {302, 403}
    client.logout()
    response = client.get(coach_url(cohort))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Nudges ---------------------------------------------------------------------------------------


def nudge_url(cohort):
    return reverse("coordination_cohorts:nudge", args=[cohort.pk])


def test_the_preview_shows_the_message_with_the_personal_line(client, coordinator, cohort, member):
    add_members(cohort, [member])
    client.force_login(coordinator)
    membership = CohortMember.objects.get(user=member)
    response = client.post(
        nudge_url(cohort), {"member": membership.pk, "note": "We miss you on Tuesdays!"}
    )
    page = response.content.decode()
    assert "Welcome" in page  # the next module, named by training
    assert "We miss you on Tuesdays!" in page
    assert mail.outbox == []


def test_a_nudge_is_sent_after_commit_with_the_programme_step_and_link(
    client, coordinator, cohort, member, runs_programme, django_capture_on_commit_callbacks
):
    add_members(cohort, [member])
    client.force_login(coordinator)
    membership = CohortMember.objects.get(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            nudge_url(cohort), {"member": membership.pk, "note": "Go on!", "send": "1"}
        )
    assert "Nudged 1 member" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert runs_programme.title in message.subject
    assert "Welcome" in message.body and "Go on!" in message.body
    assert "http://" in message.body or "https://" in message.body


def test_a_member_is_nudged_at_most_once_a_day(cohort, member, django_capture_on_commit_callbacks):
    add_members(cohort, [member])
    rows = coaching.coach_rows(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        first = nudges.nudge(cohort, rows)
        second = nudges.nudge(cohort, coaching.coach_rows(cohort))
    assert len(first.sent) == 1
    assert second.sent == [] and "24 hours" in str(second.skipped[0][1])
    assert len(mail.outbox) == 1
    tomorrow = timezone.now() + DAY + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        third = nudges.nudge(cohort, coaching.coach_rows(cohort), now=tomorrow)
    assert len(third.sent) == 1 and len(mail.outbox) == 2


def test_stale_rows_from_two_clicks_send_once(cohort, member, django_capture_on_commit_callbacks):
    add_members(cohort, [member])
    rows = coaching.coach_rows(cohort)  # both clicks read the member before either nudged
    with django_capture_on_commit_callbacks(execute=True):
        nudges.nudge(cohort, rows)
        again = nudges.nudge(cohort, rows)
    assert again.sent == [] and len(mail.outbox) == 1


def test_nudging_everyone_stuck_skips_nobody_else(
    client, coordinator, cohort, organisation, member, django_capture_on_commit_callbacks
):
    moving = make_member(organisation, first_name="Mo")
    add_members(cohort, [member, moving])
    idle(member, 20)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        preview = client.post(nudge_url(cohort), {"who": "stuck"})
        assert "A nudge to 1 member" in preview.content.decode()
        client.post(
            nudge_url(cohort),
            {"member": CohortMember.objects.get(user=member).pk, "send": "1"},
        )
    assert [message.to for message in mail.outbox] == [[member.email]]


def test_a_completed_member_is_skipped_with_the_reason(cohort, member):
    add_members(cohort, [member])
    Enrolment.objects.filter(user=member).update(completed_at=timezone.now())
    outcome = nudges.nudge(cohort, coaching.coach_rows(cohort))
    assert outcome.sent == []
    assert "completed" in str(outcome.skipped[0][1])


def test_a_personal_line_over_500_characters_is_refused(client, coordinator, cohort, member):
    add_members(cohort, [member])
    client.force_login(coordinator)
    membership = CohortMember.objects.get(user=member)
    response = client.post(
        nudge_url(cohort), {"member": membership.pk, "note": "x" * 501, "send": "1"}
    )
    assert response.status_code == 200
    assert CohortMember.objects.get(pk=membership.pk).last_nudged_at is None
    assert mail.outbox == []


def test_nudge_logs_carry_no_names_or_addresses(
    cohort, member, caplog, django_capture_on_commit_callbacks
):
    add_members(cohort, [member])
    with caplog.at_level("INFO"), django_capture_on_commit_callbacks(execute=True):
        nudges.nudge(cohort, coaching.coach_rows(cohort))
    assert caplog.records
    assert member.email not in caplog.text and member.first_name not in caplog.text
