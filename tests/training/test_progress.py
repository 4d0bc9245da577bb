"""Every rule of the progress tracker (training/progress.py)."""

import pytest
from django.utils import timezone

from peerpath.training import progress
from peerpath.training.models import (
    Attestation,
    CheckAttempt,
    Enrolment,
    ModuleProgress,
    Reflection,
)
from peerpath.training.signals import programme_completed
from tests.factories import UserFactory
from tests.training.factories import answers_for, build_module, question, reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcements():
    received = []

    def receiver(sender, **kwargs):
        received.append({"sender": sender, **kwargs})

    programme_completed.connect(receiver, weak=False)
    yield received
    programme_completed.disconnect(receiver)


def current_version(programme):
    return programme.code_of_conduct_versions.order_by("-version").first()


def finish(user, programme, reading_module, check_module, django_capture_on_commit_callbacks):
    """Complete both required modules and agree: the final step is the agreement."""
    progress.mark_module_complete(user, reading_module)
    progress.submit_check(user, check_module, answers_for(check_module), 1)
    with django_capture_on_commit_callbacks(execute=True):
        return progress.agree_to_code_of_conduct(user, programme, current_version(programme).pk)


# --- Enrolment -----------------------------------------------------------------------------------


def test_enrolling_creates_one_enrolment(user, programme):
    first, created = progress.enrol(user, programme)
    again, created_again = progress.enrol(user, programme)
    assert created and not created_again
    assert first == again
    assert Enrolment.objects.filter(user=user).count() == 1


def test_an_unpublished_programme_cannot_be_enrolled_in(user, programme):
    programme.unpublish()
    programme.refresh_from_db()
    with pytest.raises(progress.ProgrammeUnavailable):
        progress.enrol(user, programme)
    assert not Enrolment.objects.exists()


# --- Starting and completing modules -------------------------------------------------------------


def test_studying_needs_an_enrolment(user, reading_module):
    with pytest.raises(progress.NotEnrolled):
        progress.record_module_started(user, reading_module)
    with pytest.raises(progress.NotEnrolled):
        progress.mark_module_complete(user, reading_module)
    assert not ModuleProgress.objects.exists()


def test_opening_a_module_records_it_started_once(user, enrolled, reading_module):
    first = progress.record_module_started(user, reading_module)
    second = progress.record_module_started(user, reading_module)
    assert first.pk == second.pk
    assert first.started_at is not None and first.completed_at is None


def test_mark_as_complete_completes_a_module_without_a_check(user, enrolled, reading_module):
    outcome = progress.mark_module_complete(user, reading_module)
    assert outcome.module_completed
    assert ModuleProgress.objects.get(user=user, module=reading_module).completed_at


def test_completing_again_changes_nothing(user, enrolled, reading_module):
    progress.mark_module_complete(user, reading_module)
    completed_at = ModuleProgress.objects.get(user=user).completed_at
    outcome = progress.mark_module_complete(user, reading_module)
    assert not outcome.module_completed
    assert ModuleProgress.objects.get(user=user).completed_at == completed_at


def test_a_module_with_a_check_cannot_be_marked_complete(
    user, enrolled, reading_module, check_module
):
    progress.mark_module_complete(user, reading_module)
    with pytest.raises(progress.CheckRequired):
        progress.mark_module_complete(user, check_module)
    assert ModuleProgress.objects.filter(module=check_module).first() is None


def test_a_locked_module_records_nothing(user, enrolled, reading_module, check_module):
    with pytest.raises(progress.ModuleLocked) as error:
        progress.submit_check(user, check_module, answers_for(check_module), 1)
    assert "Welcome" in str(error.value.message)
    with pytest.raises(progress.ModuleLocked):
        progress.record_module_started(user, check_module)
    assert not CheckAttempt.objects.exists()
    assert not ModuleProgress.objects.filter(module=check_module).exists()


def test_completing_the_prerequisite_unlocks_the_module(
    user, enrolled, reading_module, check_module
):
    overview = progress.programme_overview(user, enrolled.programme)
    assert overview.status_for(check_module).is_locked
    progress.mark_module_complete(user, reading_module)
    overview = progress.programme_overview(user, enrolled.programme)
    assert not overview.status_for(check_module).is_locked


def test_an_unpublished_module_cannot_be_studied(user, enrolled, reading_module):
    reading_module.unpublish()
    reading_module.refresh_from_db()
    with pytest.raises(progress.ModuleUnavailable):
        progress.mark_module_complete(user, reading_module)


# --- Knowledge checks ----------------------------------------------------------------------------


@pytest.fixture
def unlocked(user, enrolled, reading_module, check_module):
    progress.mark_module_complete(user, reading_module)
    return check_module


def test_passing_the_check_completes_the_module(user, unlocked):
    result = progress.submit_check(user, unlocked, answers_for(unlocked), 1)
    assert result.passed and result.score == 100 and result.module_completed
    row = ModuleProgress.objects.get(user=user, module=unlocked)
    assert row.completed_at and row.best_score == 100 and row.attempts == 1


def test_failing_the_check_records_the_attempt_but_not_completion(user, unlocked):
    result = progress.submit_check(user, unlocked, answers_for(unlocked, correct=False), 1)
    assert not result.passed and result.score == 0
    row = ModuleProgress.objects.get(user=user, module=unlocked)
    assert row.completed_at is None and row.attempts == 1 and row.best_score == 0
    assert CheckAttempt.objects.get(user=user).passed is False


def test_results_say_which_answers_were_right_with_explanations(user, unlocked):
    answers = answers_for(unlocked)
    first_id = unlocked.check_questions[0].id
    answers[first_id] = answers_for(unlocked, correct=False)[first_id]
    result = progress.submit_check(user, unlocked, answers, 1)
    assert [q.is_correct for q in result.questions] == [False, True, True, True]
    assert result.score == 75 and result.passed  # the pass mark is 75%
    assert all(q.explanation == "Because." for q in result.questions)


def test_multiple_choice_needs_every_correct_choice(user, unlocked):
    multiple = unlocked.check_questions[2]
    answers = answers_for(unlocked)
    answers[multiple.id] = answers[multiple.id][:1]
    result = progress.submit_check(user, unlocked, answers, 1)
    assert [q.is_correct for q in result.questions] == [True, True, False, True]


def test_the_score_is_rounded_down_so_nobody_passes_by_rounding(user, enrolled, programme):
    module = build_module(
        programme, title="Three", questions=[question(), question(), question()], check_pass_mark=67
    )
    answers = answers_for(module)
    answers[module.check_questions[0].id] = answers_for(module, correct=False)[
        module.check_questions[0].id
    ]
    result = progress.submit_check(enrolled.user, module, answers, 1)
    assert result.score == 66 and not result.passed


def test_resubmitting_after_passing_never_lowers_the_best_score(user, unlocked):
    progress.submit_check(user, unlocked, answers_for(unlocked), 1)
    completed_at = ModuleProgress.objects.get(user=user, module=unlocked).completed_at
    result = progress.submit_check(user, unlocked, answers_for(unlocked, correct=False), 2)
    assert not result.passed
    row = ModuleProgress.objects.get(user=user, module=unlocked)
    assert row.best_score == 100 and row.completed_at == completed_at and row.attempts == 2


def test_the_attempt_limit_is_enforced(user, enrolled, programme):
    module = build_module(programme, title="Limited", questions=[question()], check_attempt_limit=2)
    wrong = answers_for(module, correct=False)
    progress.submit_check(user, module, wrong, 1)
    progress.submit_check(user, module, wrong, 2)
    with pytest.raises(progress.AttemptLimitReached):
        progress.submit_check(user, module, answers_for(module), 3)
    assert CheckAttempt.objects.filter(module=module).count() == 2


def test_a_replayed_submission_is_not_counted_twice(user, unlocked):
    progress.submit_check(user, unlocked, answers_for(unlocked, correct=False), 1)
    with pytest.raises(progress.StaleSubmission):
        progress.submit_check(user, unlocked, answers_for(unlocked), 1)
    assert CheckAttempt.objects.filter(user=user).count() == 1
    assert ModuleProgress.objects.get(user=user, module=unlocked).best_score == 0


@pytest.mark.parametrize("number", [3, 0, "", "x", "-1", "1" * 50])
def test_an_attempt_number_the_form_never_issued_is_refused(user, unlocked, number):
    with pytest.raises(progress.ProgressError):
        progress.submit_check(user, unlocked, answers_for(unlocked), number)
    assert not CheckAttempt.objects.exists()


def test_a_module_without_a_check_refuses_answers(user, enrolled, reading_module):
    with pytest.raises(progress.NoCheck):
        progress.submit_check(user, reading_module, {}, 1)


def tamper(module, how, other_module=None):
    answers = answers_for(module)
    first, second = (block.id for block in list(module.check_questions)[:2])
    if how == "unknown question":
        answers["not-a-question"] = answers[first]
    elif how == "unknown choice":
        answers[first] = ["not-a-choice"]
    elif how == "choice of another question":
        answers[first] = answers[second]
    elif how == "choice of another module":
        other = answers_for(other_module)
        answers[first] = next(iter(other.values()))
    elif how == "duplicated choice":
        answers[first] = answers[first] * 2
    elif how == "two answers to a single-choice question":
        block = module.check_questions[0]
        answers[first] = [item.id for item in block.value["choices"].bound_blocks]
    elif how == "not a list":
        answers[first] = answers[first][0]
    elif how == "not strings":
        answers[first] = [1]
    elif how == "huge id":
        answers[first] = ["x" * 100_000]
    elif how == "huge list":
        answers[first] = [f"c{i}" for i in range(10_000)]
    elif how == "not a mapping":
        answers = [answers[first]]
    return answers


TAMPERINGS = [
    "unknown question",
    "unknown choice",
    "choice of another question",
    "choice of another module",
    "duplicated choice",
    "two answers to a single-choice question",
    "not a list",
    "not strings",
    "huge id",
    "huge list",
    "not a mapping",
]


@pytest.mark.parametrize("how", TAMPERINGS)
def test_tampered_answers_are_refused_and_record_nothing(user, unlocked, programme, how):
    other = build_module(programme, title="Other", questions=[question()])
    with pytest.raises(progress.InvalidAnswers):
        progress.submit_check(user, unlocked, tamper(unlocked, how, other), 1)
    assert not CheckAttempt.objects.exists()
    assert not ModuleProgress.objects.filter(module=unlocked).exists()


def test_missing_answers_are_reported_and_record_nothing(user, unlocked):
    answers = answers_for(unlocked)
    missing = unlocked.check_questions[1].id
    answers[missing] = []
    with pytest.raises(progress.IncompleteAnswers) as error:
        progress.submit_check(user, unlocked, answers, 1)
    assert error.value.missing == [missing]
    assert not CheckAttempt.objects.exists()


# --- Code of conduct -----------------------------------------------------------------------------


def test_agreeing_records_the_version_and_time(user, enrolled, programme):
    version = current_version(programme)
    attestation, _completed = progress.agree_to_code_of_conduct(user, programme, version.pk)
    assert attestation.conduct_version == version and attestation.agreed_at


def test_agreeing_twice_records_one_attestation(user, enrolled, programme):
    version = current_version(programme)
    progress.agree_to_code_of_conduct(user, programme, version.pk)
    progress.agree_to_code_of_conduct(user, programme, str(version.pk))
    assert Attestation.objects.filter(user=user).count() == 1


def test_agreeing_to_an_outdated_version_is_refused(user, enrolled, programme):
    old = current_version(programme)
    programme.code_of_conduct = "<p>A stricter code.</p>"
    programme.save_revision().publish()
    with pytest.raises(progress.ConductOutdated):
        progress.agree_to_code_of_conduct(user, programme, old.pk)
    with pytest.raises(progress.ConductOutdated):
        progress.agree_to_code_of_conduct(user, programme, "garbage")
    assert not Attestation.objects.exists()


def test_agreeing_needs_an_enrolment(user, programme):
    with pytest.raises(progress.NotEnrolled):
        progress.agree_to_code_of_conduct(user, programme, current_version(programme).pk)


# --- Programme completion ------------------------------------------------------------------------


def test_completion_needs_every_required_module_and_the_code_of_conduct(
    user,
    enrolled,
    programme,
    reading_module,
    check_module,
    optional_module,
    announcements,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        progress.mark_module_complete(user, reading_module)
        progress.agree_to_code_of_conduct(user, programme, current_version(programme).pk)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is None and announcements == []

    with django_capture_on_commit_callbacks(execute=True):
        result = progress.submit_check(user, check_module, answers_for(check_module), 1)
    assert result.programme_completed  # the optional module was not needed
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None


def test_completion_is_announced_once_with_the_documented_arguments(
    user,
    enrolled,
    programme,
    reading_module,
    check_module,
    announcements,
    django_capture_on_commit_callbacks,
):
    _attestation, completed = finish(
        user, programme, reading_module, check_module, django_capture_on_commit_callbacks
    )
    assert completed
    enrolled.refresh_from_db()
    assert len(announcements) == 1
    sent = announcements[0]
    assert sent["sender"].__name__ == "ProgrammePage"
    assert sent["enrolment"].pk == enrolled.pk
    assert sent["user"] == user
    assert sent["programme"].pk == programme.pk
    assert sent["completed_at"] == enrolled.completed_at

    with django_capture_on_commit_callbacks(execute=True):
        progress.mark_module_complete(user, reading_module)
        progress.submit_check(user, check_module, answers_for(check_module), 2)
        progress.agree_to_code_of_conduct(user, programme, current_version(programme).pk)
    assert len(announcements) == 1


def test_nothing_is_announced_if_the_transaction_rolls_back(
    user,
    enrolled,
    programme,
    reading_module,
    check_module,
    announcements,
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    progress.mark_module_complete(user, reading_module)
    progress.submit_check(user, check_module, answers_for(check_module), 1)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            progress.agree_to_code_of_conduct(user, programme, current_version(programme).pk)
            raise RuntimeError
    enrolled.refresh_from_db()
    assert enrolled.completed_at is None and announcements == []


def test_completion_is_never_undone(
    user, enrolled, programme, reading_module, check_module, django_capture_on_commit_callbacks
):
    finish(user, programme, reading_module, check_module, django_capture_on_commit_callbacks)
    enrolled.refresh_from_db()
    completed_at = enrolled.completed_at
    programme.code_of_conduct = "<p>A new version.</p>"
    programme.save_revision().publish()
    build_module(programme, title="Added later")
    overview = progress.programme_overview(user, programme)
    assert overview.is_complete and overview.completed_at == completed_at
    assert not overview.conduct_agreed  # they will need to agree again, e.g. to renew


def test_a_module_made_optional_completes_the_programme_at_the_next_action(
    user, enrolled, programme, reading_module, check_module, django_capture_on_commit_callbacks
):
    progress.mark_module_complete(user, reading_module)
    progress.agree_to_code_of_conduct(user, programme, current_version(programme).pk)
    check_module.is_required = False
    check_module.save_revision().publish()
    progress.mark_module_complete(user, reading_module)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None


# --- The overview --------------------------------------------------------------------------------


def test_the_overview_counts_required_modules_hours_and_the_next_step(
    user, enrolled, programme, reading_module, check_module, optional_module
):
    overview = progress.programme_overview(user, programme)
    assert (overview.required_done, overview.required_total, overview.percent) == (0, 2, 0)
    assert overview.next_module.module == reading_module
    assert [s.module for s in overview.locked_modules] == [check_module]
    assert str(overview.locked_modules[0].locked_reason) == "Complete first: Welcome."

    progress.mark_module_complete(user, reading_module)
    overview = progress.programme_overview(user, programme)
    assert (overview.required_done, overview.percent) == (1, 50)
    assert (str(overview.hours_done), str(overview.hours_total)) == ("0.5", "1.0")
    assert overview.next_module.module == check_module
    assert programme.estimated_hours == overview.hours_total


def test_estimated_hours_add_up_the_required_modules(programme, reading_module, optional_module):
    build_module(programme, title="Long", estimated_minutes=65)
    programme = type(programme).objects.get(pk=programme.pk)
    assert programme.estimated_minutes == 95
    assert str(programme.estimated_hours) == "1.6"


def test_anonymous_visitors_get_an_overview_without_progress(programme, reading_module):
    from django.contrib.auth.models import AnonymousUser

    overview = progress.programme_overview(AnonymousUser(), programme)
    assert not overview.is_enrolled and overview.required_total == 1


def test_other_learners_progress_is_not_mixed_in(user, other_user, enrolled, reading_module):
    progress.mark_module_complete(user, reading_module)
    progress.enrol(other_user, enrolled.programme)
    overview = progress.programme_overview(other_user, enrolled.programme)
    assert overview.required_done == 0


# --- Reflections ---------------------------------------------------------------------------------


@pytest.fixture
def reflective_module(programme):
    return build_module(programme, title="Reflective", body=[reflection("What did you notice?")])


def test_a_reflection_is_saved_and_replaced(user, enrolled, reflective_module):
    prompt_id = reflective_module.body[0].id
    progress.save_reflection(user, reflective_module, prompt_id, "  First thoughts. ")
    progress.save_reflection(user, reflective_module, prompt_id, "Second thoughts.")
    saved = Reflection.objects.get(user=user)
    assert saved.text == "Second thoughts."


def test_reflections_belong_only_to_their_author(user, enrolled, reflective_module):
    prompt_id = reflective_module.body[0].id
    progress.save_reflection(user, reflective_module, prompt_id, "Mine.")
    someone = UserFactory()
    assert progress.reflections_for(someone) == []
    assert [e["reflection"].text for e in progress.reflections_for(user)] == ["Mine."]
    assert progress.reflections_for(user)[0]["prompt"] == "What did you notice?"


@pytest.mark.parametrize(
    "prompt_id, text",
    [("not-a-prompt", "Hello"), (None, ""), (None, "   "), (None, "x" * 10_001)],
)
def test_bad_reflections_are_refused(user, enrolled, reflective_module, prompt_id, text):
    prompt_id = prompt_id or reflective_module.body[0].id
    with pytest.raises(progress.InvalidReflection):
        progress.save_reflection(user, reflective_module, prompt_id, text)
    assert not Reflection.objects.exists()


def test_a_reflection_needs_an_enrolment(user, reflective_module):
    with pytest.raises(progress.NotEnrolled):
        progress.save_reflection(user, reflective_module, reflective_module.body[0].id, "Hi")


def test_module_completion_time_is_not_before_it_started(user, enrolled, reading_module):
    row = progress.record_module_started(user, reading_module)
    progress.mark_module_complete(user, reading_module)
    row.refresh_from_db()
    assert row.completed_at >= row.started_at
    assert row.completed_at <= timezone.now()


# --- The enrolment's summary row -----------------------------------------------------------------


def stored_summary(enrolment):
    enrolment.refresh_from_db()
    return (
        enrolment.required_done,
        enrolment.required_total,
        enrolment.percent_complete,
        enrolment.started_at,
    )


def true_summary(enrolment):
    """The summary recomputed from scratch: the overview's figures and the first module start."""
    overview = progress.programme_overview(enrolment.user, enrolment.programme)
    first = ModuleProgress.objects.filter(enrolment=enrolment).order_by("started_at").first()
    return (
        overview.required_done,
        overview.required_total,
        overview.percent,
        first.started_at if first else None,
    )


def assert_summary_is_true(enrolment):
    stored = stored_summary(enrolment)
    assert stored == true_summary(enrolment)
    # The bulk recomputation (module changes, seeding, the migration's backfill) agrees.
    progress.refresh_summaries(enrolment.programme)
    assert stored_summary(enrolment) == stored


@pytest.fixture
def summarised(user, programme, reading_module, check_module, optional_module):
    enrolment, _created = progress.enrol(user, programme)
    return enrolment


def test_enrolling_summarises_the_programme(summarised):
    assert stored_summary(summarised) == (0, 2, 0, None)
    assert_summary_is_true(summarised)


def test_enrolling_in_a_programme_without_required_modules_is_100_percent(user, programme):
    enrolment, _created = progress.enrol(user, programme)
    assert stored_summary(enrolment) == (0, 0, 100, None)
    assert_summary_is_true(enrolment)


def test_the_summary_follows_every_progress_action(
    user, programme, summarised, reading_module, check_module, optional_module
):
    progress.record_module_started(user, optional_module)
    assert_summary_is_true(summarised)
    started_at = summarised.started_at
    assert started_at is not None
    progress.mark_module_complete(user, reading_module)
    assert_summary_is_true(summarised)
    assert summarised.percent_complete == 50
    progress.submit_check(user, check_module, answers_for(check_module, correct=False), 1)
    assert_summary_is_true(summarised)
    progress.submit_check(user, check_module, answers_for(check_module), 2)
    assert_summary_is_true(summarised)
    assert (summarised.required_done, summarised.percent_complete) == (2, 100)
    progress.agree_to_code_of_conduct(user, programme, current_version(programme).pk)
    assert_summary_is_true(summarised)
    assert summarised.completed_at is not None
    assert summarised.started_at == started_at  # the first start never moves


def test_a_reflection_starts_the_module_in_the_summary(user, programme, reflective_module):
    enrolment, _created = progress.enrol(user, programme)
    progress.save_reflection(user, reflective_module, reflective_module.body[0].id, "Hi")
    assert stored_summary(enrolment)[3] is not None
    assert_summary_is_true(enrolment)


def test_the_last_activity_is_the_latest_action(user, summarised, reading_module):
    before = timezone.now()
    progress.mark_module_complete(user, reading_module)
    summarised.refresh_from_db()
    assert summarised.last_activity_at >= before


def test_a_new_required_module_is_counted_for_everyone_enrolled(
    user, programme, summarised, reading_module
):
    progress.mark_module_complete(user, reading_module)
    build_module(programme, title="Added later")
    assert stored_summary(summarised)[:3] == (1, 3, 33)
    assert_summary_is_true(summarised)


def test_a_module_made_optional_or_unpublished_updates_the_summary(
    user, summarised, reading_module, check_module
):
    progress.mark_module_complete(user, reading_module)
    check_module.is_required = False
    check_module.save_revision().publish()
    assert stored_summary(summarised)[:3] == (1, 1, 100)
    assert_summary_is_true(summarised)
    reading_module.unpublish()
    assert stored_summary(summarised)[:3] == (0, 0, 100)
    assert_summary_is_true(summarised)


def test_a_deleted_module_leaves_the_summary(user, summarised, reading_module, check_module):
    progress.mark_module_complete(user, reading_module)
    check_module.delete()
    assert stored_summary(summarised)[:3] == (1, 1, 100)
    assert_summary_is_true(summarised)


def test_a_module_moved_to_another_programme_updates_both(
    user, training_index, summarised, reading_module
):
    from tests.training.factories import build_programme

    other = build_programme(training_index, title="Other")
    other_enrolment, _created = progress.enrol(user, other)
    progress.mark_module_complete(user, reading_module)
    reading_module.move(other, pos="last-child")
    assert stored_summary(summarised)[:3] == (0, 1, 0)
    assert stored_summary(other_enrolment)[:3] == (1, 1, 100)
    assert_summary_is_true(summarised)
    assert_summary_is_true(other_enrolment)


def test_the_migration_backfills_summaries_as_the_tracker_keeps_them(
    user, programme, summarised, reading_module
):
    import importlib

    from django.apps import apps

    progress.mark_module_complete(user, reading_module)
    expected = stored_summary(summarised)
    Enrolment.objects.update(required_done=0, required_total=0, percent_complete=0, started_at=None)
    migration = importlib.import_module("peerpath.training.migrations.0004_enrolment_summary")
    migration.backfill_summaries(apps, None)
    assert stored_summary(summarised) == expected
