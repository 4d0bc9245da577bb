"""The progress tracker: the one place that decides what a learner has done.

Every rule about training progress lives here, and nowhere else:

- a learner *enrols* in a live programme (once; enrolling again changes nothing);
- a module is *locked* until its prerequisites (live sibling modules) are complete, and a learner
  must be enrolled to study it;
- opening a module records it *started*; a module without a knowledge check is completed with
  "Mark as complete", a module with one only by *passing* the check;
- a knowledge-check submission is validated in full before anything is written: unknown questions or
  choices, choices of another question, duplicates, several answers to a single-choice question,
  missing answers and oversized payloads are refused and record nothing;
- attempt limits are enforced and each submission carries its attempt number, so a replayed or
  double-submitted answer sheet is refused instead of counted twice;
- progress never goes backwards: completion is never undone and the best score never decreases
  (until the learner *restarts*, below);
- a programme may give learners a time to pass its knowledge checks (`check_window_days`): it
  runs from enrolment, or from the last restart, and closes exactly that many days later
  (`check_window_closes_at`); after it closes no answers are recorded. Once the programme is
  complete it no longer matters;
- a learner who can no longer complete the programme (the time ran out with a required check still
  to pass, or every attempt at a required module's check used) may *restart* it: their module
  progress and check attempts for it are cleared and a new window opens. Reflections (their private
  writing) and code-of-conduct agreements are kept;
- the learner agrees ("I agree") to the *current* version of the code of conduct;
- a programme is complete when every required module is complete and the current code of conduct is
  agreed. Completion is recorded once (a conditional UPDATE under a row lock) and announced with
  `training.signals.programme_completed` after the transaction commits;
- the learner's standing is summarised on their `Enrolment` row (when they started, required modules
  done of required, percent, last activity) by every action, and recomputed for a whole programme
  when its modules change (`refresh_summaries`), so reports read columns instead of recounting.

Writes for one learner on one programme are serialised by locking their `Enrolment` row
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions).

Functions raise `ProgressError` subclasses whose `message` can be shown to the learner and whose
`status_code` suits an HTTP response; views turn them into messages.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Count, DateTimeField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.signals import post_page_move

from peerpath.access import can_edit_page
from peerpath.signals import announce

from . import requirements
from .models import (
    Attestation,
    CheckAttempt,
    CodeOfConductVersion,
    Enrolment,
    ModulePage,
    ModuleProgress,
    ProgrammePage,
    Reflection,
    minutes_to_hours,
)
from .signals import programme_completed
from .structure import ModuleOutline, structure_of_module, structures_for

# Block ids are UUIDs (36 characters); anything much longer is not an id we issued.
MAX_ID_LENGTH = 64
MAX_REFLECTION_LENGTH = Reflection._meta.get_field("text").max_length


# --- Errors -------------------------------------------------------------------------------------


class ProgressError(Exception):
    """Something the tracker refuses to record. `message` is safe to show to the learner."""

    status_code = 400
    default_message = _("That could not be recorded.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class ProgrammeUnavailable(ProgressError):
    status_code = 404
    default_message = _("This programme is not open for enrolment.")


class ModuleUnavailable(ProgressError):
    status_code = 404
    default_message = _("This module is not available.")


class NotEnrolled(ProgressError):
    status_code = 403
    default_message = _("Enrol in the programme first.")


class ModuleLocked(ProgressError):
    status_code = 403
    default_message = _("Complete this module's prerequisites first.")


class CheckRequired(ProgressError):
    status_code = 400
    default_message = _("This module is completed by passing its knowledge check.")


class NoCheck(ProgressError):
    status_code = 400
    default_message = _("This module has no knowledge check.")


class InvalidAnswers(ProgressError):
    status_code = 400
    default_message = _(
        "Those answers do not match this knowledge check. Nothing was recorded: reload the page "
        "and try again."
    )


class IncompleteAnswers(InvalidAnswers):
    default_message = _("Answer every question before you submit. Nothing was recorded.")

    def __init__(self, missing, message=None):
        self.missing = list(missing)
        super().__init__(message)


class AttemptLimitReached(ProgressError):
    status_code = 403
    default_message = _(
        "You have used all your attempts at this knowledge check. Please contact your training "
        "coordinator."
    )


class CheckWindowClosed(ProgressError):
    """The learner's time to pass the programme's knowledge checks has run out."""

    status_code = 403

    def __init__(self, closes_at, can_restart):
        message = format_lazy(
            _(
                "Your time to pass this programme's knowledge checks ran out on {moment}, so "
                "these answers were not recorded."
            ),
            moment=format_moment(closes_at),
        )
        if can_restart:
            message = format_lazy(
                "{message} {restart}",
                message=message,
                restart=_(
                    "To complete the programme, restart it from the programme page and take "
                    "the modules and checks again."
                ),
            )
        super().__init__(message)


class RestartNotNeeded(ProgressError):
    status_code = 409
    default_message = _(
        "You can restart a programme only when your time to pass its knowledge checks has run "
        "out or you have used every attempt at a required module's check. Nothing was changed."
    )


class StaleSubmission(ProgressError):
    status_code = 409
    default_message = _(
        "These answers were already submitted, so they were not counted again. Your result is below."
    )


class ConductUnavailable(ProgressError):
    status_code = 400
    default_message = _("This programme has no code of conduct to agree to yet.")


class ConductOutdated(ProgressError):
    status_code = 409
    default_message = _(
        "The code of conduct has changed since you opened the page. Please read the current "
        "version before you agree."
    )


class InvalidReflection(ProgressError):
    status_code = 400
    default_message = _("Write your reflection before saving it.")


# --- What a learner's progress looks like -------------------------------------------------------


def format_moment(value):
    """A moment as learners read it: "3 March 2027 at 14:05 UTC" (in the site's time zone)."""
    value = timezone.localtime(value)
    return format_lazy(
        _("{date} at {time}"),
        date=date_format(value, "j F Y"),
        time=date_format(value, "H:i T"),
    )


def check_window_closes_at(enrolment, programme):
    """When the learner's time to pass `programme`'s knowledge checks ends, or None (no limit).

    The window opens at the last restart, or at enrolment, and closes exactly `check_window_days`
    days later: an answer submitted a second before is recorded, one at that moment is not.
    """
    if not programme.check_window_days:
        return None
    opened_at = enrolment.restarted_at or enrolment.enrolled_at
    return opened_at + datetime.timedelta(days=programme.check_window_days)


def percent_of(done, total):
    """Whole percent of required modules complete (100 when there are none)."""
    if not total:
        return 100
    return done * 100 // total


@dataclasses.dataclass
class ModuleStatus:
    """One module as one learner sees it: their progress row and any unmet prerequisites.

    `module` is the module's outline from the programme's structure, or the page itself on its own
    module page."""

    module: ModuleOutline | ModulePage
    progress: ModuleProgress | None = None
    missing_prerequisites: list[ModuleOutline] = dataclasses.field(default_factory=list)

    @property
    def is_complete(self):
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def is_started(self):
        return self.progress is not None

    @property
    def is_locked(self):
        return bool(self.missing_prerequisites) and not self.is_complete

    @property
    def state(self):
        """`complete`, `locked`, `in_progress` or `not_started`: also the CSS modifier."""
        if self.is_complete:
            return "complete"
        if self.is_locked:
            return "locked"
        if self.is_started:
            return "in_progress"
        return "not_started"

    @property
    def state_label(self):
        return {
            "complete": _("Complete"),
            "locked": _("Locked"),
            "in_progress": _("In progress"),
            "not_started": _("Not started"),
        }[self.state]

    @property
    def locked_reason(self):
        """A sentence naming the prerequisites still to complete, or an empty string."""
        if not self.is_locked:
            return ""
        titles = ", ".join(module.title for module in self.missing_prerequisites)
        return format_lazy(_("Complete first: {titles}."), titles=titles)


@dataclasses.dataclass
class ProgrammeOverview:
    """A learner's standing on one programme (anonymous or not enrolled: no progress at all)."""

    programme: ProgrammePage
    enrolment: Enrolment | None
    modules: list[ModuleStatus]
    conduct: CodeOfConductVersion | None
    attestation: Attestation | None

    @property
    def is_enrolled(self):
        return self.enrolment is not None

    @property
    def is_complete(self):
        return self.enrolment is not None and self.enrolment.completed_at is not None

    @property
    def completed_at(self):
        return self.enrolment.completed_at if self.enrolment else None

    @property
    def required(self):
        return [status for status in self.modules if status.module.is_required]

    @property
    def required_total(self):
        return len(self.required)

    @property
    def required_done(self):
        return sum(1 for status in self.required if status.is_complete)

    @property
    def percent(self):
        return percent_of(self.required_done, self.required_total)

    @property
    def minutes_total(self):
        return sum(status.module.estimated_minutes for status in self.required)

    @property
    def minutes_done(self):
        return sum(
            status.module.estimated_minutes for status in self.required if status.is_complete
        )

    @property
    def hours_total(self):
        return minutes_to_hours(self.minutes_total)

    @property
    def hours_done(self):
        return minutes_to_hours(self.minutes_done)

    @property
    def conduct_agreed(self):
        return self.attestation is not None

    @property
    def modules_done(self):
        return self.required_done == self.required_total

    @property
    def requirements_met(self):
        """The completion rule: every required module complete and the current code agreed."""
        return self.is_enrolled and self.modules_done and self.conduct_agreed

    @property
    def next_module(self):
        """The first required module still to do that is not locked; then optional ones."""
        candidates = [s for s in self.modules if not s.is_complete and not s.is_locked]
        for status in candidates:
            if status.module.is_required:
                return status
        return candidates[0] if candidates and not self.modules_done else None

    @property
    def locked_modules(self):
        return [status for status in self.modules if status.is_locked]

    @property
    def check_window_closes_at(self):
        """When the learner's time to pass the knowledge checks ends: None when there is no limit,
        they are not enrolled, or they completed the programme (then it no longer matters)."""
        if self.enrolment is None or self.is_complete:
            return None
        return check_window_closes_at(self.enrolment, self.programme)

    @property
    def check_window_closed(self):
        closes_at = self.check_window_closes_at
        return closes_at is not None and timezone.now() >= closes_at

    @property
    def checks_to_pass(self):
        """Required modules whose knowledge check the learner has still to pass."""
        return [s for s in self.required if s.module.has_check and not s.is_complete]

    @property
    def exhausted_modules(self):
        """Required modules the learner can no longer complete: every attempt at the check used."""
        return [
            status
            for status in self.checks_to_pass
            if status.module.check_attempt_limit is not None
            and status.progress is not None
            and status.progress.attempts >= status.module.check_attempt_limit
        ]

    @property
    def can_restart(self):
        """The restart rule: the learner cannot complete the programme as it stands, because the
        time to pass the checks ran out with a required one still to pass, or because a required
        module's attempts are used up."""
        if not self.is_enrolled or self.is_complete:
            return False
        return bool(self.exhausted_modules) or bool(
            self.check_window_closed and self.checks_to_pass
        )

    @property
    def restart_reason(self):
        """Why the learner must restart and what restarting does, or an empty string."""
        if not self.can_restart:
            return ""
        if self.check_window_closed:
            reason = _(
                "Your time to pass the knowledge checks has run out, so you cannot complete this "
                "programme as it stands."
            )
        else:
            reason = format_lazy(
                _(
                    "You have used every attempt at the knowledge check in {titles}, so you cannot "
                    "complete this programme as it stands."
                ),
                titles=", ".join(status.module.title for status in self.exhausted_modules),
            )
        if self.programme.check_window_days:
            effect = format_lazy(
                _(
                    "Certification asks you to retrain: restarting clears your module progress "
                    "and knowledge-check attempts and gives you {days} days from the restart to "
                    "pass the checks. Your reflections and your agreement to the code of conduct "
                    "are kept."
                ),
                days=self.programme.check_window_days,
            )
        else:
            effect = _(
                "Certification asks you to retrain: restarting clears your module progress and "
                "knowledge-check attempts so you can take them again. Your reflections and your "
                "agreement to the code of conduct are kept."
            )
        return format_lazy("{reason} {effect}", reason=reason, effect=effect)

    def status_for(self, module):
        for status in self.modules:
            if status.module.pk == module.pk:
                return status
        return None


def overviews_for_programmes(user, programmes, enrolments=None):
    """Build `ProgrammeOverview`s for several programmes in a constant number of queries.

    Returns a dict keyed by programme id. `enrolments`, if the caller already has the user's
    enrolments for these programmes, saves a query.
    """
    programmes = list(programmes)
    if not programmes:
        return {}
    by_id = {programme.pk: programme for programme in programmes}

    # Modules, prerequisites and the code of conduct are the same for every learner: cached.
    structures = structures_for(programmes)
    modules = [module for found in structures.values() for module in found.modules]
    module_ids = [module.pk for module in modules]
    conduct = {pk: found.conduct for pk, found in structures.items() if found.conduct}

    progress_rows, attestations = {}, {}
    if user.is_authenticated:
        if enrolments is None:
            enrolments = Enrolment.objects.filter(user=user, programme_id__in=by_id)
        enrolments = {enrolment.programme_id: enrolment for enrolment in enrolments}
        if enrolments and module_ids:
            progress_rows = {
                row.module_id: row
                for row in ModuleProgress.objects.filter(user=user, module_id__in=module_ids)
            }
        if enrolments and conduct:
            attestations = {
                attestation.conduct_version_id: attestation
                for attestation in Attestation.objects.filter(
                    user=user, conduct_version_id__in=[version.pk for version in conduct.values()]
                )
            }
    else:
        enrolments = {}

    module_by_id = {module.pk: module for module in modules}

    overviews = {}
    for programme in programmes:
        enrolment = enrolments.get(programme.pk)
        statuses = []
        found = structures.get(programme.pk)
        for module in found.modules if found else ():
            row = progress_rows.get(module.pk) if enrolment else None
            statuses.append(ModuleStatus(module=module, progress=row))
        complete = {status.module.pk for status in statuses if status.is_complete}
        siblings = {status.module.pk for status in statuses}
        for status in statuses:
            status.missing_prerequisites = [
                module_by_id[pk]
                for pk in status.module.prerequisite_ids
                if pk in siblings and pk not in complete
            ]
        version = conduct.get(programme.pk)
        attestation = attestations.get(version.pk) if (version and enrolment) else None
        overview = ProgrammeOverview(programme, enrolment, statuses, version, attestation)
        # Prime the programme's cached total so templates showing it need no extra query.
        programme.__dict__["estimated_minutes"] = overview.minutes_total
        overviews[programme.pk] = overview
    return overviews


def programme_overview(user, programme, enrolment=None):
    """A learner's `ProgrammeOverview` of one programme."""
    enrolments = None if enrolment is None else [enrolment]
    return overviews_for_programmes(user, [programme], enrolments=enrolments)[programme.pk]


def learner_overviews(user):
    """Every enrolment of a learner, newest first, each with its `ProgrammeOverview`.

    Runs a constant number of queries however many enrolments and modules there are.
    """
    enrolments = list(
        Enrolment.objects.filter(user=user).select_related("programme").order_by("-enrolled_at")
    )
    overviews = overviews_for_programmes(
        user, [enrolment.programme for enrolment in enrolments], enrolments=enrolments
    )
    return [overviews[enrolment.programme_id] for enrolment in enrolments]


# --- Enrolment and the module page --------------------------------------------------------------


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


@dataclasses.dataclass
class ModuleStudy:
    """What a visitor may do on a module page, and why not if they may not."""

    overview: ProgrammeOverview
    status: ModuleStatus
    can_edit: bool
    is_authenticated: bool

    @property
    def progress(self):
        return self.status.progress

    @progress.setter
    def progress(self, value):
        self.status.progress = value

    @property
    def can_study(self):
        """Editors always; learners when enrolled and the module is unlocked."""
        return self.can_edit or (self.overview.is_enrolled and not self.status.is_locked)

    @property
    def can_act(self):
        """Whether this visitor's progress can be recorded here (editors who are not enrolled cannot)."""
        return self.overview.is_enrolled and not self.status.is_locked

    @property
    def should_record_start(self):
        return self.can_act and self.status.progress is None and self.status.module.live

    @property
    def attempts_left(self):
        limit = self.status.module.check_attempt_limit
        if limit is None:
            return None
        used = self.status.progress.attempts if self.status.progress else 0
        return max(limit - used, 0)

    @property
    def next_attempt_number(self):
        return (self.status.progress.attempts if self.status.progress else 0) + 1


def module_study(user, module, can_edit=False, overview=None):
    """Decide what `user` may do on `module` (see `ModuleStudy`)."""
    overview = overview or programme_overview(user, module.programme)
    status = overview.status_for(module) or ModuleStatus(module=module)
    # The overview lists modules without their bodies; the page being shown has its body loaded.
    status.module = module
    return ModuleStudy(overview, status, can_edit, user.is_authenticated)


def module_page_context(request, module):
    """Everything a module page shows one visitor, in a constant number of queries."""
    user = request.user
    # The programme comes with its cached structure instead of a query of its own.
    programme_structure = structure_of_module(module, request)
    if programme_structure is not None:
        module.__dict__.setdefault("programme", programme_structure.programme)
    can_edit = can_edit_page(user, module)
    study = module_study(user, module, can_edit=can_edit)
    # A module previewed before it is first saved has no id and no learner records yet.
    has_records = study.can_study and user.is_authenticated and module.pk is not None
    reflections = {}
    if has_records and module.reflection_prompt_ids():
        reflections = {
            reflection.prompt_id: reflection
            for reflection in Reflection.objects.filter(user=user, module=module)
        }
    result = None
    attempt_number = request.GET.get("attempt", "")
    if has_records and attempt_number.isascii() and attempt_number.isdigit():
        attempt = CheckAttempt.objects.filter(
            user=user, module=module, number=int(attempt_number[:6])
        ).first()
        if attempt is not None:
            result = CheckResult.for_attempt(module, attempt, study.overview.programme)
    return {
        "programme": study.overview.programme,
        "overview": study.overview,
        "study": study,
        "body_items": [(block, reflections.get(block.id)) for block in module.body],
        "questions": question_form(module),
        "result": result,
        "pass_mark": module.pass_mark_for(study.overview.programme),
    }


def question_form(module, submitted=None):
    """The check's questions for a form: ids, prompts and choices, never which are correct."""
    submitted = submitted or {}
    questions = []
    for block in module.check_questions:
        chosen = set(submitted.get(block.id, ()))
        questions.append(
            {
                "id": block.id,
                "prompt": block.value["prompt"],
                "kind": block.value["kind"],
                "choices": [
                    {"id": item.id, "text": item.value["text"], "checked": item.id in chosen}
                    for item in block.value["choices"].bound_blocks
                ],
            }
        )
    return questions


# --- Recording progress -------------------------------------------------------------------------


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


def _store_summary(enrolment, overview, *, activity_at=None, started_at=None):
    """Write the learner's standing after an action (`overview` already shows its effect) to
    their enrolment row: required modules done of required, percent, last activity, and when
    they first started a module."""
    values = {
        "required_done": overview.required_done,
        "required_total": overview.required_total,
        "percent_complete": overview.percent,
    }
    if activity_at is not None:
        values["last_activity_at"] = activity_at
    if started_at is not None:
        # Set by the first module started; never moved by later ones.
        values["started_at"] = Coalesce(
            "started_at", Value(started_at, output_field=DateTimeField())
        )
    Enrolment.objects.filter(pk=enrolment.pk).update(**values)


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
        transaction.on_commit(lambda: requirements.announce_full_certification(user))


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
        _store_summary(enrolment, overview, started_at=progress.started_at)
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
        _store_summary(enrolment, overview, activity_at=now, started_at=progress.started_at)
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
        _store_summary(
            enrolment, overview, activity_at=timezone.now(), started_at=progress.started_at
        )
        return reflection


def reflections_for(user):
    """A learner's reflections with their modules and prompts, for the learner's own export."""
    reflections = list(Reflection.objects.filter(user=user).order_by("module__path", "created_at"))
    modules = {
        module.pk: module
        for module in ModulePage.objects.filter(pk__in={r.module_id for r in reflections})
    }
    entries = []
    for reflection in reflections:
        module = modules.get(reflection.module_id)
        prompt = ""
        if module is not None:
            for block in module.body:
                if block.id == reflection.prompt_id:
                    prompt = block.value["prompt"]
        entries.append({"reflection": reflection, "module": module, "prompt": prompt})
    return entries


# --- Knowledge checks ---------------------------------------------------------------------------


@dataclasses.dataclass
class QuestionResult:
    """How one question was answered."""

    id: str
    prompt: str
    kind: str
    choices: list[dict]
    explanation: str
    is_correct: bool


@dataclasses.dataclass
class CheckResult:
    """A scored submission: per-question results, score (%), pass mark and whether it passed."""

    questions: list[QuestionResult]
    score: int
    pass_mark: int
    passed: bool
    attempt: CheckAttempt | None = None
    module_completed: bool = False
    programme_completed: bool = False

    @property
    def correct_count(self):
        return sum(1 for question in self.questions if question.is_correct)

    @classmethod
    def for_attempt(cls, module, attempt, programme):
        """Rebuild the feedback for a stored attempt (questions since removed are left out)."""
        answers = attempt.answers if isinstance(attempt.answers, dict) else {}
        questions = [
            _grade_question(block, answers.get(block.id, []))
            for block in module.check_questions
            if block.id in answers
        ]
        return cls(
            questions=questions,
            score=attempt.score,
            pass_mark=module.pass_mark_for(programme),
            passed=attempt.passed,
            attempt=attempt,
        )


def _grade_question(block, chosen):
    chosen = set(chosen)
    choices = [
        {
            "id": item.id,
            "text": item.value["text"],
            "chosen": item.id in chosen,
            "is_correct": bool(item.value["is_correct"]),
        }
        for item in block.value["choices"].bound_blocks
    ]
    correct = {choice["id"] for choice in choices if choice["is_correct"]}
    return QuestionResult(
        id=block.id,
        prompt=block.value["prompt"],
        kind=block.value["kind"],
        choices=choices,
        explanation=block.value["explanation"],
        is_correct=chosen == correct,
    )


def validate_answers(module, answers):
    """Check a submission against the module's questions; return `{question id: [choice ids]}`.

    `answers` maps question ids to the choice ids chosen. Anything a form could not have produced
    (unknown or duplicated ids, another question's choices, several answers to a single-choice
    question, values that are not short strings) raises `InvalidAnswers`; unanswered questions
    raise `IncompleteAnswers`. Nothing is written.
    """
    if not isinstance(answers, Mapping):
        raise InvalidAnswers()
    questions = {block.id: block for block in module.check_questions}
    if len(answers) > len(questions) or any(qid not in questions for qid in answers):
        raise InvalidAnswers()
    cleaned, missing = {}, []
    for question_id, block in questions.items():
        chosen = answers.get(question_id, [])
        if isinstance(chosen, str) or not isinstance(chosen, Sequence):
            raise InvalidAnswers()
        if not chosen:
            missing.append(question_id)
            continue
        if not all(isinstance(c, str) and 0 < len(c) <= MAX_ID_LENGTH for c in chosen):
            raise InvalidAnswers()
        if len(set(chosen)) != len(chosen):
            raise InvalidAnswers()
        if block.value["kind"] == "single" and len(chosen) != 1:
            raise InvalidAnswers()
        choice_ids = {item.id for item in block.value["choices"].bound_blocks}
        if not set(chosen) <= choice_ids:
            raise InvalidAnswers()
        cleaned[question_id] = sorted(chosen)
    if missing:
        raise IncompleteAnswers(missing)
    return cleaned


def grade(module, answers, programme):
    """Score validated answers: all-or-nothing per question, score rounded down to a whole %."""
    questions = [_grade_question(block, answers[block.id]) for block in module.check_questions]
    correct = sum(1 for question in questions if question.is_correct)
    pass_mark = module.pass_mark_for(programme)
    # Compare in whole numbers: 2 of 3 is 66.7%, which does not reach a pass mark of 67.
    passed = correct * 100 >= pass_mark * len(questions)
    return CheckResult(
        questions=questions,
        score=correct * 100 // len(questions),
        pass_mark=pass_mark,
        passed=passed,
    )


def _parse_attempt_number(value):
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6:
        return int(value)
    raise InvalidAnswers()


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
        attempt_number = _parse_attempt_number(attempt_number)
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
        _store_summary(enrolment, overview, activity_at=now, started_at=progress.started_at)
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
        _store_summary(enrolment, overview, activity_at=now)
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
        _store_summary(enrolment, overview, activity_at=now)
        return attestation, completed


# --- Summaries when a programme's modules change ------------------------------------------------


def refresh_summaries(programme, enrolments=None):
    """Recompute the summary rows of `programme`'s enrolments (or of those in `enrolments`)
    from the progress rows, in one UPDATE: the same figures `ProgrammeOverview` gives.

    Called when the programme's modules change (added, published, unpublished, made optional,
    moved, deleted) and after progress is written in bulk. Completion is not touched: it is
    recorded once, at a learner's action.
    """
    required = ModulePage.objects.child_of(programme).live().filter(is_required=True)
    total = required.count()
    rows = Enrolment.objects.filter(programme=programme)
    if enrolments is not None:
        rows = rows.filter(pk__in=enrolments.values("pk"))
    done = Coalesce(
        Subquery(
            ModuleProgress.objects.filter(
                user=OuterRef("user"),
                module__in=required.values("pk"),
                completed_at__isnull=False,
            )
            .order_by()
            .values("user")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )
    first_start = Subquery(
        ModuleProgress.objects.filter(enrolment=OuterRef("pk"))
        .order_by("started_at")
        .values("started_at")[:1]
    )
    # `percent_of` in SQL: no required modules means 100%.
    percent = done * 100 / total if total else Value(percent_of(0, 0))
    return rows.update(
        required_total=total,
        required_done=done if total else 0,
        percent_complete=percent,
        started_at=first_start,
    )


def _programme_at(path):
    return ProgrammePage.objects.filter(path=path).first()


def _refresh_programme_of(module, parent_path=None):
    programme = _programme_at(parent_path or module.path[: -module.steplen])
    if programme is not None:
        refresh_summaries(programme)


# Fields whose change alters which modules count towards a programme.
STRUCTURE_FIELDS = {"live", "is_required", "path", "depth"}


@receiver(post_save, sender=ModulePage, dispatch_uid="training.module_saved")
def _module_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or STRUCTURE_FIELDS & set(update_fields):
        _refresh_programme_of(instance)


@receiver(post_delete, sender=ModulePage, dispatch_uid="training.module_deleted")
def _module_deleted(sender, instance, **kwargs):
    _refresh_programme_of(instance)


@receiver(post_page_move, dispatch_uid="training.module_moved")
def _module_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if issubclass(sender, ModulePage):
        for parent in {parent_page_before.path, parent_page_after.path}:
            _refresh_programme_of(instance, parent_path=parent)
