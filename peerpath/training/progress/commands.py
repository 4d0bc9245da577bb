"""The tracker's commands: enrol, record a module started or complete, save a reflection, submit a
knowledge check, restart a programme, agree to the code of conduct.

Each locks the learner's `Enrolment` row, refuses with a `ProgressError` before writing anything
when the rules say no, records the action, completes the programme if that finished it (announced
with `peerpath.training.signals.programme_completed` after the transaction commits), and stores the
learner's summary.
"""

from __future__ import annotations

import dataclasses

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from peerpath.signals import announce

from ..models import (
    Attestation,
    CheckAttempt,
    Enrolment,
    ModulePage,
    ModuleProgress,
    ProgrammePage,
    Reflection,
)
from ..requirements import announce_full_certification
from ..signals import programme_completed
from .errors import (
    AttemptLimitReached,
    CheckRequired,
    CheckWindowClosed,
    ConductOutdated,
    ConductUnavailable,
    InvalidAnswers,
    InvalidReflection,
    ModuleLocked,
    ModuleUnavailable,
    NoCheck,
    NotEnrolled,
    ProgrammeUnavailable,
    RestartNotNeeded,
    StaleSubmission,
)
from .grading import grade, parse_attempt_number, validate_answers
from .overview import percent_of, programme_overview
from .summaries import store_summary

MAX_REFLECTION_LENGTH = Reflection._meta.get_field("text").max_length


def enrol(user, programme):
    """Enrol a learner in a live programme. Returns `(enrolment, created)`; enrolling twice is a no-op."""
    if not programme.live:
        raise ProgrammeUnavailable()
    required_total = programme.modules().filter(is_required=True).count()
    return Enrolment.objects.get_or_create(
        user=user,
        programme=programme,
        defaults={
            "required_total": required_total,
            "percent_complete": percent_of(0, required_total),
        },
    )


def _lock_enrolment(user, programme):
    if not user.is_authenticated:
        raise NotEnrolled()
    try:
        return Enrolment.objects.select_for_update().get(user=user, programme=programme)
    except Enrolment.DoesNotExist:
        raise NotEnrolled() from None


def _open_module(user, module):
    """Lock the learner's enrolment and return (enrolment, overview, status) for a study action.

    Must run inside a transaction. Refuses unpublished modules, learners who are not enrolled and
    modules locked by prerequisites.
    """
    if not module.live:
        raise ModuleUnavailable()
    programme = module.programme
    if not programme.live:
        raise ModuleUnavailable()
    enrolment = _lock_enrolment(user, programme)
    overview = programme_overview(user, programme, enrolment=enrolment)
    status = overview.status_for(module)
    if status is None:
        raise ModuleUnavailable()
    if status.is_locked:
        raise ModuleLocked(status.locked_reason)
    return enrolment, overview, status


def _start(user, module, enrolment, status):
    if status.progress is None:
        status.progress, _created = ModuleProgress.objects.get_or_create(
            user=user, module=module, defaults={"enrolment": enrolment}
        )
    return status.progress


def _complete_module(progress, now):
    """Set `completed_at` once; never moves it or clears it."""
    if progress.completed_at is not None:
        return False
    progress.completed_at = max(now, progress.started_at)
    return True


def _count_as_continuing_education(user, module):
    """A completed refresher module is continuing education, which may be what the learner's
    full certification was waiting for: ask once the completion is committed."""
    if module.ce_category_id:
        transaction.on_commit(lambda: announce_full_certification(user))


def _complete_programme_if_finished(enrolment, overview, now):
    """Record and announce programme completion if the rule is met and it is not yet recorded.

    The conditional UPDATE makes this safe even without the row lock: of two transactions racing
    to complete, only the one that changes the row announces it.
    """
    if enrolment.completed_at is not None or not overview.requirements_met:
        return False
    completed = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
        completed_at=now
    )
    if not completed:
        return False
    enrolment.completed_at = now
    programme = overview.programme
    transaction.on_commit(
        lambda: announce(
            programme_completed,
            sender=ProgrammePage,
            enrolment=enrolment,
            user=enrolment.user,
            programme=programme,
            completed_at=now,
        )
    )
    return True


def record_module_started(user, module):
    """Record that a learner opened a module (idempotent). Returns their `ModuleProgress`."""
    with transaction.atomic():
        enrolment, overview, status = _open_module(user, module)
        progress = _start(user, module, enrolment, status)
        store_summary(enrolment, overview, started_at=progress.started_at)
        return progress


@dataclasses.dataclass
class Outcome:
    """What an action changed: the module's progress row and whether things became complete."""

    progress: ModuleProgress
    module_completed: bool = False
    programme_completed: bool = False


def mark_module_complete(user, module):
    """Complete a module that has no knowledge check. Completing it again changes nothing."""
    with transaction.atomic():
        enrolment, overview, status = _open_module(user, module)
        if module.has_check:
            raise CheckRequired()
        now = timezone.now()
        progress = _start(user, module, enrolment, status)
        outcome = Outcome(progress)
        if _complete_module(progress, now):
            progress.save(update_fields=["completed_at"])
            outcome.module_completed = True
            _count_as_continuing_education(user, module)
        # Evaluated every time: a programme whose rules changed (say a module made optional)
        # completes at the learner's next action.
        outcome.programme_completed = _complete_programme_if_finished(enrolment, overview, now)
        store_summary(enrolment, overview, activity_at=now, started_at=progress.started_at)
        return outcome


def save_reflection(user, module, prompt_id, text):
    """Save (or replace) a learner's private answer to one of the module's reflection prompts."""
    text = (text or "").strip()
    with transaction.atomic():
        enrolment, overview, status = _open_module(user, module)
        if prompt_id not in module.reflection_prompt_ids():
            raise InvalidReflection(_("That reflection question is not part of this module."))
        if not text:
            raise InvalidReflection()
        if len(text) > MAX_REFLECTION_LENGTH:
            raise InvalidReflection(
                format_lazy(
                    _("Keep your reflection under {limit} characters."),
                    limit=MAX_REFLECTION_LENGTH,
                )
            )
        progress = _start(user, module, enrolment, status)
        reflection, _created = Reflection.objects.update_or_create(
            user=user, module=module, prompt_id=prompt_id, defaults={"text": text}
        )
        store_summary(
            enrolment, overview, activity_at=timezone.now(), started_at=progress.started_at
        )
        return reflection


def submit_check(user, module, answers, attempt_number):
    """Record one knowledge-check submission and return its `CheckResult`.

    `attempt_number` is the number the form was issued for (attempts so far + 1): a replayed or
    double-submitted form carries a number already used and is refused with `StaleSubmission`.
    Passing completes the module (once); the best score only ever rises.
    """
    with transaction.atomic():
        enrolment, overview, status = _open_module(user, module)
        if not module.has_check:
            raise NoCheck()
        if overview.check_window_closed:
            raise CheckWindowClosed(overview.check_window_closes_at, overview.can_restart)
        attempt_number = parse_attempt_number(attempt_number)
        used = status.progress.attempts if status.progress else 0
        if attempt_number <= used:
            raise StaleSubmission()
        if attempt_number != used + 1:
            raise InvalidAnswers()
        limit = module.check_attempt_limit
        if limit is not None and used >= limit:
            raise AttemptLimitReached(
                _(
                    "You have used all your attempts at this knowledge check, so the programme "
                    "cannot be completed as it stands. Restart it from the programme page to take "
                    "the training again."
                )
                if overview.can_restart
                else None
            )
        cleaned = validate_answers(module, answers)
        result = grade(module, cleaned, overview.programme)

        now = timezone.now()
        progress = _start(user, module, enrolment, status)
        try:
            with transaction.atomic():
                result.attempt = CheckAttempt.objects.create(
                    user=user,
                    module=module,
                    number=attempt_number,
                    answers=cleaned,
                    score=result.score,
                    passed=result.passed,
                )
        except IntegrityError:
            raise StaleSubmission() from None
        progress.attempts = attempt_number
        progress.best_score = max(progress.best_score or 0, result.score)
        fields = ["attempts", "best_score"]
        if result.passed and _complete_module(progress, now):
            fields.append("completed_at")
            result.module_completed = True
            _count_as_continuing_education(user, module)
        progress.save(update_fields=fields)
        result.programme_completed = _complete_programme_if_finished(enrolment, overview, now)
        store_summary(enrolment, overview, activity_at=now, started_at=progress.started_at)
        return result


# --- Restarting ---------------------------------------------------------------------------------


def restart(user, programme):
    """Start a programme again when the learner can no longer complete it (`can_restart`).

    Clears the learner's module progress and check attempts for the programme's modules, opens a
    new knowledge-check window from now and counts the restart; the enrolment summary goes back to
    what a new enrolment shows. Reflections and code-of-conduct agreements are kept. Anything else
    raises a `ProgressError` and changes nothing. Returns the enrolment.
    """
    if not programme.live:
        raise ProgrammeUnavailable()
    with transaction.atomic():
        enrolment = _lock_enrolment(user, programme)
        overview = programme_overview(user, programme, enrolment=enrolment)
        if overview.is_complete:
            raise RestartNotNeeded(
                _("You have completed this programme, so there is nothing to restart.")
            )
        if not overview.can_restart:
            raise RestartNotNeeded()
        # Every module of the programme, published or not: a restart leaves nothing behind,
        # except completed refresher modules, whose hours count as continuing education.
        modules = ModulePage.objects.child_of(programme).values("pk")
        ModuleProgress.objects.filter(user=user, module__in=modules).exclude(
            module__ce_category__isnull=False, completed_at__isnull=False
        ).delete()
        CheckAttempt.objects.filter(user=user, module__in=modules).delete()
        now = timezone.now()
        enrolment.restarted_at = now
        enrolment.restart_count += 1
        # As `refresh_summaries` would have it: no module is started in the new run yet.
        enrolment.started_at = None
        enrolment.save(update_fields=["restarted_at", "restart_count", "started_at"])
        overview = programme_overview(user, programme, enrolment=enrolment)
        store_summary(enrolment, overview, activity_at=now)
        return enrolment


# --- Code of conduct ----------------------------------------------------------------------------


def agree_to_code_of_conduct(user, programme, version_id):
    """Record that the learner agrees to the programme's current code of conduct.

    `version_id` is the version the learner read; if the code changed since, `ConductOutdated` is
    raised so nobody agrees to text they have not seen. Agreeing twice changes nothing.
    Returns `(attestation, programme_completed)`.
    """
    if not programme.live:
        raise ProgrammeUnavailable()
    with transaction.atomic():
        enrolment = _lock_enrolment(user, programme)
        overview = programme_overview(user, programme, enrolment=enrolment)
        current = overview.conduct
        if current is None:
            raise ConductUnavailable()
        if str(version_id) != str(current.pk):
            raise ConductOutdated()
        attestation = overview.attestation
        if attestation is None:
            attestation, _created = Attestation.objects.get_or_create(
                user=user, conduct_version=current
            )
            overview.attestation = attestation
        now = timezone.now()
        completed = _complete_programme_if_finished(enrolment, overview, now)
        store_summary(enrolment, overview, activity_at=now)
        return attestation, completed
