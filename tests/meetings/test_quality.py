"""Quality at a glance (quality.py, quality_admin.py, quality_views.py): the report, its export,
the facilitator's page, the comments, and small-number suppression everywhere."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings import quality
from peerpath.meetings.choices import ConcernStatus, Role, SessionStatus
from peerpath.meetings.models import (
    Debrief,
    FeedbackResponse,
    SafeguardingConcern,
    SignpostingCategory,
)
from peerpath.workshops.choices import Confirmation, LogRole
from peerpath.workshops.models import FacilitationLogEntry
from tests.factories import UserFactory
from tests.workshops.factories import make_workshop

from .factories import make_booking, make_facilitator, make_session, put_on_roster

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("meetings_quality:index")
COMMENTS_URL = reverse("meetings_quality:comments")
MY_FEEDBACK_URL = reverse("meetings:my_feedback")
NOT_ENOUGH = "Not enough responses yet"


def release_url(response):
    return reverse("meetings_quality:release", args=[response.pk])


def held(workshop, *, days_ago=10, attendance=6, **fields):
    """A session of `workshop` that took place `days_ago` days ago and was completed."""
    starts_at = (timezone.now() - datetime.timedelta(days=days_ago)).replace(
        minute=0, second=0, microsecond=0
    )
    return make_session(
        workshop,
        starts_at=starts_at,
        status=SessionStatus.COMPLETED,
        completed_at=starts_at + datetime.timedelta(hours=2),
        attendance_count=attendance,
        **fields,
    )


def last_month():
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=3)


def answer(session, count, *, safe=4, heard=5, again=3, comment="", on=None):
    """`count` anonymous answers about `session`."""
    return FeedbackResponse.objects.bulk_create(
        FeedbackResponse(
            session=session,
            felt_safe=safe,
            felt_heard=heard,
            would_return=again,
            comment=comment,
            submitted_on=on or last_month(),
        )
        for _ in range(count)
    )


def debrief(session, *, attendance=None, signposting=(), fidelity=None, concern=None):
    """A debrief of `session` written straight to the database; `concern`: a concern's status."""
    filed = Debrief.objects.create(
        session=session,
        attendance=session.attendance_count if attendance is None else attendance,
        how_it_went="well",
        fidelity=fidelity or [],
        concern=concern is not None,
    )
    filed.signposting.set(
        SignpostingCategory.objects.get_or_create(organisation=session.organisation, name=name)[0]
        for name in signposting
    )
    if concern is not None:
        SafeguardingConcern.objects.create(
            debrief=filed,
            session=session,
            organisation=session.organisation,
            summary="Someone spoke of feeling unsafe at home.",
            status=concern,
        )
    return filed


def checklist(*done):
    checks = ["Group agreements read", "A check-out round", "Resources shared"]
    return [{"check": check, "done": ticked} for check, ticked in zip(checks, done, strict=True)]


def csv_rows(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def other_workshop(other_organisation, other_programme):
    return make_workshop(other_organisation.index_page, programme=other_programme)


# --- Small-number suppression -------------------------------------------------------------------


def test_four_responses_give_a_count_and_no_averages(workshop):
    session = held(workshop)
    answer(session, 4)
    summary = quality.feedback_summary(FeedbackResponse.objects.all())
    assert summary.count == 4
    assert summary.suppressed
    assert (summary.felt_safe, summary.felt_heard, summary.would_return) == (None, None, None)


def test_five_responses_give_the_averages(workshop):
    session = held(workshop)
    answer(session, 4, safe=4)
    answer(session, 1, safe=5)
    summary = quality.feedback_summary(FeedbackResponse.objects.all())
    assert not summary.suppressed
    assert (summary.felt_safe, summary.felt_heard, summary.would_return) == (4.2, 5.0, 3.0)


def test_the_report_page_shows_no_averages_for_four_responses(client, editor, workshop):
    answer(held(workshop), 4, safe=2, heard=2, again=2)
    client.force_login(editor)
    page = client.get(REPORT_URL).content.decode()
    assert "Not enough responses yet (4 of 5)" in page
    assert "2.0" not in page


def test_the_report_page_shows_the_averages_from_five_responses(client, editor, workshop):
    answer(held(workshop), 5, safe=2, heard=2, again=2)
    client.force_login(editor)
    page = client.get(REPORT_URL).content.decode()
    assert NOT_ENOUGH not in page
    assert "2.0" in page


def test_the_export_has_no_averages_for_four_responses(client, editor, workshop):
    answer(held(workshop), 4)
    client.force_login(editor)
    rows = csv_rows(client.get(REPORT_URL, {"export": "csv"}))
    assert [row["Workshop"] for row in rows] == ["All sessions", workshop.title]
    for row in rows:
        assert row["Feedback responses"] == "4"
        assert (row["I felt safe"], row["I felt heard"], row["I would come again"]) == ("", "", "")
        assert row["Feedback note"] == "Not enough responses yet (4 of 5)"


def test_the_export_has_the_averages_from_five_responses(client, editor, workshop):
    answer(held(workshop), 5, safe=4, heard=5, again=3)
    client.force_login(editor)
    rows = csv_rows(client.get(REPORT_URL, {"export": "csv"}))
    assert (rows[1]["I felt safe"], rows[1]["I felt heard"], rows[1]["I would come again"]) == (
        "4.0",
        "5.0",
        "3.0",
    )
    assert rows[1]["Feedback note"] == ""


def test_the_xlsx_export_is_a_spreadsheet(client, editor, workshop):
    answer(held(workshop), 4)
    client.force_login(editor)
    response = client.get(REPORT_URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_comments_never_appear_in_the_report_or_its_export(client, editor, workshop):
    answer(held(workshop), 5, comment="The tea was cold and Jo talked over me")
    client.force_login(editor)
    assert b"tea was cold" not in client.get(REPORT_URL).content
    export = client.get(REPORT_URL, {"export": "csv"})
    assert "tea was cold" not in b"".join(export.streaming_content).decode()


# --- The facilitator's page ---------------------------------------------------------------------


@pytest.fixture
def led(workshop, facilitator):
    session = held(workshop, days_ago=40)
    put_on_roster(session, facilitator)
    return session


def test_the_facilitator_sees_not_enough_responses_with_four(client, facilitator, led):
    answer(led, 4, safe=2)
    client.force_login(facilitator)
    page = client.get(MY_FEEDBACK_URL).content.decode()
    assert "Not enough responses yet (4 of 5)" in page
    assert "2.0" not in page


def test_the_facilitator_sees_their_averages_from_five(client, facilitator, led):
    answer(led, 5, safe=2)
    client.force_login(facilitator)
    page = client.get(MY_FEEDBACK_URL).content.decode()
    assert NOT_ENOUGH not in page
    assert "2.0" in page


def test_the_facilitators_feedback_leaves_out_this_months_answers(client, facilitator, led):
    """So that a figure that moves after one session cannot show that session's answers."""
    answer(led, 4)
    answer(led, 1, on=timezone.localdate())
    summary = quality.facilitator_summary(facilitator)
    assert summary.feedback.count == 4
    assert summary.feedback.suppressed


def test_the_facilitators_feedback_counts_only_sessions_they_were_on(
    workshop, organisation, programme, facilitator, led
):
    elsewhere = held(workshop, days_ago=45)
    put_on_roster(elsewhere, make_facilitator(organisation, programme))
    answer(led, 2)
    answer(elsewhere, 5)
    assert quality.facilitator_summary(facilitator).feedback.count == 2


def test_the_facilitator_sees_confirmed_sessions_and_hours(client, workshop, facilitator, led):
    co = held(workshop, days_ago=20)
    put_on_roster(co, facilitator, role=Role.CO)
    for confirmation, minutes in [
        (Confirmation.CONFIRMED, 90),
        (Confirmation.CONFIRMED, 120),
        (Confirmation.AWAITING, 60),
        (Confirmation.SELF_REPORTED, 60),
    ]:
        FacilitationLogEntry.objects.create(
            facilitator=facilitator,
            workshop=workshop,
            workshop_title=workshop.title,
            date=timezone.localdate(),
            minutes=minutes,
            participants=5,
            role=LogRole.LEAD,
            confirmation=confirmation,
        )
    summary = quality.facilitator_summary(facilitator)
    assert (summary.led, summary.co_facilitated) == (1, 1)
    assert (summary.confirmed_sessions, summary.confirmed_hours, summary.pending) == (2, 3.5, 1)
    client.force_login(facilitator)
    page = client.get(MY_FEEDBACK_URL).content.decode()
    assert "3.5" in page


def test_my_sessions_links_to_the_feedback_page(client, facilitator):
    client.force_login(facilitator)
    assert MY_FEEDBACK_URL.encode() in client.get(reverse("meetings:mine")).content


def test_the_feedback_page_asks_to_log_in(client):
    response = client.get(MY_FEEDBACK_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- Comments -----------------------------------------------------------------------------------


@pytest.fixture
def comment(led):
    return answer(led, 1, comment="I wish the group had been longer")[0]


def test_a_comment_is_hidden_from_the_facilitator_until_released(
    client, editor, facilitator, comment
):
    client.force_login(facilitator)
    assert b"group had been longer" not in client.get(MY_FEEDBACK_URL).content

    client.force_login(editor)
    response = client.post(release_url(comment), {"released": "1"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.comment_released

    client.force_login(facilitator)
    assert b"group had been longer" in client.get(MY_FEEDBACK_URL).content


def test_a_withdrawn_comment_is_hidden_again(client, editor, facilitator, comment):
    quality.set_comment_released(comment, True)
    client.force_login(editor)
    client.post(release_url(comment), {"released": "0"})
    comment.refresh_from_db()
    assert not comment.comment_released
    client.force_login(facilitator)
    assert b"group had been longer" not in client.get(MY_FEEDBACK_URL).content


def test_staff_read_their_organisations_comments(client, editor, comment):
    client.force_login(editor)
    response = client.get(COMMENTS_URL)
    assert response.status_code == 200
    assert b"group had been longer" in response.content
    assert b"Release to the facilitators" in response.content


def test_another_organisations_staff_see_no_comment_and_get_404_on_release(
    client, other_editor, comment
):
    client.force_login(other_editor)
    assert b"group had been longer" not in client.get(COMMENTS_URL).content
    assert client.post(release_url(comment), {"released": "1"}).status_code == 404
    comment.refresh_from_db()
    assert not comment.comment_released


def test_releasing_needs_a_post(client, editor, comment):
    client.force_login(editor)
    assert client.get(release_url(comment)).status_code == 405


def test_a_junk_release_value_changes_nothing(client, editor, comment):
    client.force_login(editor)
    response = client.post(release_url(comment), {"released": "maybe"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert not comment.comment_released


def test_an_answer_without_a_comment_cannot_be_released(client, editor, led):
    silent = answer(led, 1)[0]
    client.force_login(editor)
    assert client.post(release_url(silent), {"released": "1"}).status_code == 404


def test_someone_without_the_feedback_permissions_is_refused(client, user, comment):
    user.user_permissions.add(*quality_permissions("access_admin", app_label="wagtailadmin"))
    client.force_login(user)
    # The admin answers a refusal by sending the user to its home page with a message.
    for response in [
        client.get(REPORT_URL),
        client.get(COMMENTS_URL),
        client.post(release_url(comment), {"released": "1"}),
    ]:
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    comment.refresh_from_db()
    assert not comment.comment_released


def test_comments_are_paginated(client, editor, led):
    answer(led, 25, comment="Helpful")
    client.force_login(editor)
    first = client.get(COMMENTS_URL).content.decode()
    assert first.count("Helpful") == 20
    assert client.get(COMMENTS_URL, {"p": "2"}).content.decode().count("Helpful") == 5
    assert client.get(COMMENTS_URL, {"p": "junk"}).status_code == 200


# --- The figures --------------------------------------------------------------------------------


def test_the_report_counts_sessions_attendance_returning_signposting_and_concerns(workshop):
    first = held(workshop, days_ago=20, attendance=4)
    second = held(workshop, days_ago=13, attendance=8)
    held(workshop, days_ago=6, attendance=3)  # no debrief yet
    make_session(workshop, days_ahead=3)  # not held: still to come
    for returning in (True, True, False):
        make_booking(second, attended=True, returning=returning)
    make_booking(second, attended=False, returning=True)  # booked again but did not come
    debrief(first, signposting=["Crisis line"], fidelity=checklist(True, True, False))
    debrief(
        second,
        attendance=7,  # the lead's count corrects the register's 8
        signposting=["Crisis line", "GP or mental-health team"],
        fidelity=checklist(True, False, False),
        concern=ConcernStatus.OPEN,
    )

    [row] = quality.quality_report(workshop.sessions.all(), quality.WORKSHOP)

    assert (row.label, row.sessions, row.attendance, row.mean_attendance) == (
        workshop.title,
        3,
        14,
        4.7,
    )
    assert row.debriefs_missing == 1
    assert row.returning == 2
    assert row.signposting == {"Crisis line": 2, "GP or mental-health team": 1}
    assert (row.concerns, row.open_concerns) == (1, 1)
    assert [(f.check, f.ticked, f.asked, f.percent) for f in row.fidelity_figures] == [
        ("Group agreements read", 2, 2, 100),
        ("A check-out round", 1, 2, 50),
        ("Resources shared", 0, 2, 0),
    ]


def test_concerns_are_counted_by_status_and_never_shown_in_full(client, editor, workshop):
    debrief(held(workshop, days_ago=20), concern=ConcernStatus.CLOSED)
    debrief(held(workshop, days_ago=13), concern=ConcernStatus.IN_HAND)
    [row] = quality.quality_report(workshop.sessions.all(), quality.WORKSHOP)
    assert row.concerns_by_status == {ConcernStatus.CLOSED: 1, ConcernStatus.IN_HAND: 1}
    assert row.open_concerns == 0
    client.force_login(editor)
    page = client.get(REPORT_URL).content.decode()
    assert "feeling unsafe at home" not in page
    assert "2 concerns raised" in page
    assert f"{reverse('meetings_concerns:index')}?status=open" in page


def test_grouping_by_facilitator_counts_each_facilitators_sessions_in_name_order(
    workshop, organisation, programme
):
    zoe = make_facilitator(organisation, programme, first_name="Zoe", last_name="Adams")
    amir = make_facilitator(organisation, programme, first_name="Amir", last_name="Young")
    together, alone = held(workshop, days_ago=20), held(workshop, days_ago=13)
    put_on_roster(together, amir)
    put_on_roster(together, zoe, role=Role.CO)
    put_on_roster(alone, amir)
    answer(together, 5, safe=5)
    answer(alone, 5, safe=3)

    rows = quality.quality_report(workshop.sessions.all(), quality.FACILITATOR)

    assert [(row.label, row.sessions) for row in rows] == [("Zoe Adams", 1), ("Amir Young", 2)]
    assert [(row.feedback.count, row.feedback.felt_safe) for row in rows] == [(5, 5.0), (10, 4.0)]


def test_grouping_by_month_puts_each_session_in_its_month(workshop):
    this_month = timezone.localdate().replace(day=1)
    month_before = this_month - datetime.timedelta(days=1)
    days = (timezone.localdate() - month_before).days
    held(workshop, days_ago=days)
    held(workshop, days_ago=days + 1)
    held(workshop, days_ago=0)
    rows = quality.quality_report(workshop.sessions.all(), quality.MONTH)
    assert [row.sessions for row in rows] == [2, 1]
    assert rows[0].label == month_before.strftime("%B %Y")


def test_the_report_adds_no_queries_per_session(
    django_assert_max_num_queries, workshop, organisation, programme
):
    people = [make_facilitator(organisation, programme) for _ in range(3)]
    for days_ago in range(1, 13):
        session = held(workshop, days_ago=days_ago)
        put_on_roster(session, people[days_ago % 3])
        make_booking(session, attended=True, returning=True)
        debrief(session, signposting=["Crisis line"], fidelity=checklist(True, False, True))
        answer(session, 2)
    sessions = workshop.sessions.all()
    for group_by in (quality.WORKSHOP, quality.FACILITATOR, quality.MONTH):
        with django_assert_max_num_queries(6):
            rows = quality.quality_report(sessions, group_by)
        assert sum(row.returning for row in rows) == 12


def test_the_report_page_adds_no_queries_per_session(
    client, editor, workshop, django_assert_max_num_queries
):
    client.force_login(editor)
    for days_ago in range(1, 4):
        debrief(held(workshop, days_ago=days_ago), signposting=["Crisis line"])
    client.get(REPORT_URL)  # warm the caches (site, settings, menus)
    with django_assert_max_num_queries(40) as few:
        client.get(REPORT_URL, {"group_by": "facilitator"})
    for days_ago in range(4, 16):
        debrief(held(workshop, days_ago=days_ago), signposting=["Crisis line"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(REPORT_URL, {"group_by": "facilitator"})


# --- Scope and filters --------------------------------------------------------------------------


def test_another_organisations_sessions_are_never_counted(client, editor, workshop, other_workshop):
    answer(held(workshop), 2)
    theirs = held(other_workshop, attendance=9)
    answer(theirs, 5)
    debrief(theirs, concern=ConcernStatus.OPEN)
    client.force_login(editor)
    response = client.get(REPORT_URL)
    summary = response.context["summary"]
    assert (summary.sessions, summary.feedback.count, summary.concerns) == (1, 2, 0)
    assert other_workshop.title not in response.content.decode()
    rows = csv_rows(client.get(REPORT_URL, {"export": "csv"}))
    assert [row["Workshop"] for row in rows] == ["All sessions", workshop.title]


def test_filtering_by_another_organisation_is_a_form_error(
    client, editor, workshop, other_organisation
):
    client.force_login(editor)
    response = client.get(REPORT_URL, {"organisation": other_organisation.pk})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert "summary" not in response.context


def test_the_period_defaults_to_the_last_three_months(client, editor, workshop):
    held(workshop, days_ago=30)
    held(workshop, days_ago=120)
    client.force_login(editor)
    assert client.get(REPORT_URL).context["summary"].sessions == 1
    since = (timezone.localdate() - datetime.timedelta(days=200)).isoformat()
    assert client.get(REPORT_URL, {"date_from": since}).context["summary"].sessions == 2


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "not-a-date"},
        {"date_to": "2026-02-31"},
        {"date_from": "2026-05-01", "date_to": "2026-04-01"},
        {"group_by": "ranking"},
        {"workshop": "abc"},
        {"organisation": "99999999999999999999"},
    ],
)
def test_junk_filters_give_a_form_error_not_a_500(client, editor, workshop, params):
    client.force_login(editor)
    response = client.get(REPORT_URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert b"Some filters could not be used" in response.content
    export = client.get(REPORT_URL, {**params, "export": "csv"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/html")


def test_staff_of_no_organisation_with_the_permission_see_nothing(client, workshop):
    answer(held(workshop), 5)
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *quality_permissions("view_feedbackresponse"),
        *quality_permissions("access_admin", app_label="wagtailadmin"),
    )
    client.force_login(viewer)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    assert response.context["summary"].sessions == 0


def quality_permissions(codename, app_label="peerpath_meetings"):
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)
