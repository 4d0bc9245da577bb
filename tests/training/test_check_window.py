"""The time to pass a programme's knowledge checks, and restarting a programme that can no longer
be completed (training/progress.py: `check_window_closes_at`, `submit_check`, `restart`)."""

import contextlib
import datetime

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from peerpath.training import progress
from peerpath.training.models import (
    Attestation,
    CheckAttempt,
    Enrolment,
    ModuleProgress,
    Reflection,
)
from tests.factories import UserFactory
from tests.training.factories import (
    answers_for,
    build_module,
    build_programme,
    question,
    reflection,
)
from tests.training.test_queries import MODULE_PAGE_QUERIES, count_queries

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ENROLLED_AT = datetime.datetime(2026, 3, 3, 14, 5, tzinfo=UTC)
# 365 days later (2027 is not a leap year): the same day and time a year on.
CLOSES_AT = datetime.datetime(2027, 3, 3, 14, 5, tzinfo=UTC)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def timed(training_index):
    """A programme whose learners have 365 days to pass its checks: a reading module, then a
    required check with three attempts."""
    programme = build_programme(training_index, title="Timed", check_window_days=365)
    reading = build_module(programme, title="Welcome")
    check = build_module(
        programme,
        title="Listening",
        questions=[question(), question()],
        prerequisites=[reading],
        check_attempt_limit=3,
    )
    return programme, reading, check


@pytest.fixture
def enrolment(user, timed):
    programme, reading, _check = timed
    with freeze_time(ENROLLED_AT):
        enrolment, _created = progress.enrol(user, programme)
        progress.mark_module_complete(user, reading)
    return enrolment


def submit(user, module, correct=False, at=None):
    used = ModuleProgress.objects.filter(user=user, module=module).values_list(
        "attempts", flat=True
    )
    number = (used.first() or 0) + 1
    with freeze_time(at or ENROLLED_AT + datetime.timedelta(days=1)):
        return progress.submit_check(user, module, answers_for(module, correct=correct), number)


def use_every_attempt(user, module):
    for _ in range(module.check_attempt_limit):
        submit(user, module)


def overview_at(user, programme, moment):
    with freeze_time(moment):
        overview = progress.programme_overview(user, programme)
        # The properties read the clock: take the answers while it is frozen.
        return {
            "closes_at": overview.check_window_closes_at,
            "closed": overview.check_window_closed,
            "can_restart": overview.can_restart,
        }


# --- The window ----------------------------------------------------------------------------------


def test_the_window_closes_exactly_the_programmes_days_after_enrolment(enrolment, timed):
    programme, _reading, _check = timed
    assert progress.check_window_closes_at(enrolment, programme) == CLOSES_AT


def test_after_a_restart_the_window_runs_from_the_restart(enrolment, timed):
    programme, _reading, _check = timed
    enrolment.restarted_at = CLOSES_AT + datetime.timedelta(days=10)
    assert progress.check_window_closes_at(enrolment, programme) == CLOSES_AT + datetime.timedelta(
        days=375
    )


def test_an_answer_a_second_before_the_window_closes_is_recorded(user, enrolment, timed):
    _programme, _reading, check = timed
    result = submit(user, check, correct=True, at=CLOSES_AT - SECOND)
    assert result.passed and result.module_completed
    assert CheckAttempt.objects.filter(user=user, module=check).count() == 1


def test_an_answer_when_the_window_closes_is_refused_and_records_nothing(user, enrolment, timed):
    _programme, _reading, check = timed
    with pytest.raises(progress.CheckWindowClosed) as error:
        submit(user, check, correct=True, at=CLOSES_AT)
    message = str(error.value.message)
    assert "ran out on 3 March 2027 at 14:05 UTC" in message
    assert "not recorded" in message and "restart" in message
    assert error.value.status_code == 403
    assert not CheckAttempt.objects.exists()
    assert not ModuleProgress.objects.filter(module=check).exists()


def test_without_a_window_answers_are_accepted_years_later(user, programme, enrolled):
    check = build_module(programme, title="Any time", questions=[question()])
    assert progress.check_window_closes_at(enrolled, programme) is None
    result = submit(user, check, correct=True, at=enrolled.enrolled_at + datetime.timedelta(3650))
    assert result.passed
    assert not overview_at(user, programme, "2040-01-01")["can_restart"]


def test_a_completed_programme_is_not_affected_by_the_window(user, enrolment, timed):
    programme, _reading, check = timed
    submit(user, check, correct=True)
    with freeze_time(ENROLLED_AT + datetime.timedelta(days=2)):
        version = programme.code_of_conduct_versions.get()
        _attestation, completed = progress.agree_to_code_of_conduct(user, programme, version.pk)
    assert completed
    later = CLOSES_AT + datetime.timedelta(days=30)
    assert overview_at(user, programme, later) == {
        "closes_at": None,
        "closed": False,
        "can_restart": False,
    }
    # Practising a passed check is still recorded; the programme stays complete.
    assert submit(user, check, correct=False, at=later).attempt.number == 2
    with freeze_time(later), pytest.raises(progress.RestartNotNeeded) as error:
        progress.restart(user, programme)
    assert "completed this programme" in str(error.value.message)
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None


# --- Restarting ----------------------------------------------------------------------------------


def test_restart_is_refused_while_the_window_is_open_and_attempts_remain(user, enrolment, timed):
    programme, _reading, check = timed
    submit(user, check)
    with freeze_time(CLOSES_AT - SECOND), pytest.raises(progress.RestartNotNeeded) as error:
        progress.restart(user, programme)
    assert "Nothing was changed" in str(error.value.message)
    enrolment.refresh_from_db()
    assert enrolment.restart_count == 0 and enrolment.restarted_at is None
    assert ModuleProgress.objects.filter(user=user).count() == 2
    assert CheckAttempt.objects.filter(user=user).count() == 1


def test_restart_after_the_window_closed_clears_progress_and_opens_a_new_window(
    user, enrolment, timed
):
    programme, reading, check = timed
    module_with_prompt = build_module(programme, title="Notes", body=[reflection()])
    prompt_id = next(iter(module_with_prompt.reflection_prompt_ids()))
    with freeze_time(ENROLLED_AT + datetime.timedelta(days=1)):
        progress.save_reflection(user, module_with_prompt, prompt_id, "What I noticed.")
        version = programme.code_of_conduct_versions.get()
        progress.agree_to_code_of_conduct(user, programme, version.pk)
    submit(user, check)
    assert overview_at(user, programme, CLOSES_AT)["can_restart"]

    restarted_at = CLOSES_AT + datetime.timedelta(days=40)
    with freeze_time(restarted_at):
        progress.restart(user, programme)

    enrolment.refresh_from_db()
    assert enrolment.restarted_at == restarted_at
    assert enrolment.restart_count == 1
    assert (enrolment.required_done, enrolment.percent_complete) == (0, 0)
    assert enrolment.started_at is None and enrolment.last_activity_at == restarted_at
    assert not ModuleProgress.objects.filter(user=user).exists()
    assert not CheckAttempt.objects.filter(user=user).exists()
    # The learner's private writing and their agreement stay.
    assert Reflection.objects.filter(user=user).count() == 1
    assert Attestation.objects.filter(user=user).count() == 1

    new_close = restarted_at + datetime.timedelta(days=365)
    assert progress.check_window_closes_at(enrolment, programme) == new_close
    with freeze_time(restarted_at):
        progress.mark_module_complete(user, reading)
    assert submit(user, check, correct=True, at=new_close - SECOND).attempt.number == 1


def test_restart_after_every_attempt_is_used_even_with_time_left(user, enrolment, timed):
    programme, _reading, check = timed
    use_every_attempt(user, check)
    with pytest.raises(progress.AttemptLimitReached) as error:
        submit(user, check, correct=True)
    assert "Restart it from the programme page" in str(error.value.message)

    with freeze_time(ENROLLED_AT + datetime.timedelta(days=2)):
        progress.restart(user, programme)
    enrolment.refresh_from_db()
    assert enrolment.restart_count == 1
    assert not CheckAttempt.objects.filter(user=user).exists()


def test_a_programme_without_a_window_can_be_restarted_once_attempts_are_used_up(
    user, programme, enrolled
):
    limited = build_module(programme, title="Twice", questions=[question()], check_attempt_limit=2)
    use_every_attempt(user, limited)
    progress.restart(user, programme)
    assert Enrolment.objects.get(pk=enrolled.pk).restart_count == 1


def test_used_up_attempts_at_an_optional_module_do_not_allow_a_restart(user, programme, enrolled):
    optional = build_module(
        programme,
        title="Extra",
        questions=[question()],
        check_attempt_limit=1,
        is_required=False,
    )
    submit(user, optional)
    with pytest.raises(progress.AttemptLimitReached) as error:
        submit(user, optional, correct=True)
    assert "training coordinator" in str(error.value.message)
    with pytest.raises(progress.RestartNotNeeded):
        progress.restart(user, programme)


def test_once_every_required_check_is_passed_the_window_closing_needs_no_restart(
    user, enrolment, timed
):
    programme, _reading, check = timed
    submit(user, check, correct=True)
    assert overview_at(user, programme, CLOSES_AT + SECOND)["can_restart"] is False
    with freeze_time(CLOSES_AT + SECOND), pytest.raises(progress.RestartNotNeeded):
        progress.restart(user, programme)
    assert ModuleProgress.objects.get(user=user, module=check).completed_at is not None


def test_a_restart_clears_only_that_programme(user, enrolment, timed, programme, reading_module):
    other_programme, _reading, check = timed
    progress.enrol(user, programme)
    progress.mark_module_complete(user, reading_module)
    use_every_attempt(user, check)
    progress.restart(user, other_programme)
    assert ModuleProgress.objects.get(user=user).module_id == reading_module.pk


def test_restarting_needs_an_enrolment(user, timed):
    programme, _reading, _check = timed
    with pytest.raises(progress.NotEnrolled):
        progress.restart(user, programme)


# --- Views and pages -----------------------------------------------------------------------------


@pytest.fixture
def learner(client, user):
    client.force_login(user)
    return client


def restart_url(programme):
    return reverse("training:restart", args=[programme.pk])


@contextlib.contextmanager
def signed_in_at(client, user, moment):
    """Freeze the clock at `moment` and sign in then: a session begun at the real time would have
    expired by a frozen time a year away."""
    with freeze_time(moment):
        client.force_login(user)
        yield client


def test_the_restart_button_restarts_and_returns_to_the_programme(client, user, enrolment, timed):
    programme = timed[0]
    with signed_in_at(client, user, CLOSES_AT):
        response = client.post(restart_url(programme))
        assert response.status_code == 303
        assert response["Location"] == programme.url
        html = client.get(response["Location"]).content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).restart_count == 1
    assert "You have restarted the programme" in html
    # 365 days from 3 March 2027 at 14:05: 2028 is a leap year.
    assert "You have until 2 March 2028 at 14:05 UTC to pass the knowledge checks" in html


def test_restart_answers_get_with_405(learner, enrolment, timed):
    assert learner.get(restart_url(timed[0])).status_code == 405


def test_restart_needs_a_csrf_token(user, enrolment, timed):
    with signed_in_at(Client(enforce_csrf_checks=True), user, CLOSES_AT) as client:
        assert client.post(restart_url(timed[0])).status_code == 403
    assert Enrolment.objects.get(pk=enrolment.pk).restart_count == 0


def test_anonymous_visitors_are_sent_to_log_in(client, timed):
    programme = timed[0]
    response = client.post(restart_url(programme))
    assert response.status_code == 302
    assert "/login/" in response["Location"] and "next=" in response["Location"]


def test_a_learner_who_is_not_enrolled_gets_403_with_a_message(learner, timed):
    response = learner.post(restart_url(timed[0]))
    assert response.status_code == 403
    assert "Enrol in the programme first" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_restarting_too_early_gets_409_with_a_message(client, user, enrolment, timed):
    with signed_in_at(client, user, CLOSES_AT - SECOND):
        response = client.post(restart_url(timed[0]))
    assert response.status_code == 409
    assert "Nothing was changed" in response.content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).restart_count == 0


@pytest.mark.parametrize("programme_id", [999999, 99999999999999999999])
def test_an_unknown_programme_gets_404(learner, programme_id):
    assert learner.post(f"/training/programmes/{programme_id}/restart/").status_code == 404


def test_the_module_page_says_until_when_the_checks_can_be_passed(client, user, enrolment, timed):
    _programme, _reading, check = timed
    with signed_in_at(client, user, CLOSES_AT - SECOND):
        html = client.get(check.url).content.decode()
    assert "You have until 3 March 2027 to pass the knowledge checks" in html
    assert "14:05 UTC" in html
    assert "Submit answers" in html and "Restart the programme" not in html


def test_after_the_window_closes_the_module_page_offers_a_restart(client, user, enrolment, timed):
    programme, _reading, check = timed
    with signed_in_at(client, user, CLOSES_AT):
        html = client.get(check.url).content.decode()
    assert "ran out on 3 March 2027" in html
    assert "Your time to pass the knowledge checks has run out" in html
    assert f'action="{restart_url(programme)}"' in html
    assert '<button type="submit">Restart the programme</button>' in html
    assert "Submit answers" not in html and "You have until" not in html


def test_with_every_attempt_used_the_module_page_offers_a_restart(learner, user, enrolment, timed):
    programme, _reading, check = timed
    use_every_attempt(user, check)
    html = learner.get(check.url).content.decode()
    assert "You have used every attempt at the knowledge check in Listening" in html
    assert f'action="{restart_url(programme)}"' in html
    assert "Submit answers" not in html


def test_the_programme_page_shows_the_deadline_by_the_progress_bar(client, user, enrolment, timed):
    programme = timed[0]
    with signed_in_at(client, user, CLOSES_AT - SECOND):
        html = client.get(programme.url).content.decode()
    bar = html.index("<progress")
    deadline = html.index("You have until 3 March 2027 to pass the knowledge checks")
    assert bar < deadline < html.index("Modules</h2>")
    assert "Restart the programme" not in html


def test_the_programme_page_offers_a_restart_once_the_window_closed(client, user, enrolment, timed):
    programme = timed[0]
    with signed_in_at(client, user, CLOSES_AT):
        html = client.get(programme.url).content.decode()
    assert "The time to pass the knowledge checks ran out on 3 March 2027" in html
    assert "gives you 365 days from the restart" in html
    assert f'action="{restart_url(programme)}"' in html


def test_the_window_adds_no_query_to_the_module_page(client, training_index):
    user = UserFactory()
    client.force_login(user)
    programme = build_programme(training_index, title="Queries", check_window_days=30)
    reading = build_module(programme, title="First")
    check = build_module(programme, title="Second", questions=[question()], prerequisites=[reading])
    progress.enrol(user, programme)
    progress.mark_module_complete(user, reading)
    client.get(check.url)
    assert count_queries(client, check.url + "?attempt=1") == MODULE_PAGE_QUERIES
