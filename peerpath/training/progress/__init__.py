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
  `peerpath.training.signals.programme_completed` after the transaction commits;
- the learner's standing is summarised on their `Enrolment` row (when they started, required modules
  done of required, percent, last activity) by every action, and recomputed for a whole programme
  when its modules change (`refresh_summaries`), so reports read columns instead of recounting.

Writes for one learner on one programme are serialised by locking their `Enrolment` row
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions).

Functions raise `ProgressError` subclasses whose `message` can be shown to the learner and whose
`status_code` suits an HTTP response; views turn them into messages.

The tracker is split by concern: `errors` (what it refuses), `overview` (the read model: a learner's
`ProgrammeOverview` and what they may do on a module, `ModuleStudy`), `grading` (knowledge checks),
`commands` (everything that records progress) and `summaries` (the enrolment summary rows). It
never sees a request or a cache: the page views (`training.page_views`, `training.views`) build page
context, and `training.receivers` keeps summaries and cached structures in step with edits. Its
public names are all importable from here (`from training import progress; progress.enrol(...)`).
"""

from .commands import (
    MAX_REFLECTION_LENGTH,
    Outcome,
    agree_to_code_of_conduct,
    enrol,
    mark_module_complete,
    record_module_started,
    restart,
    save_reflection,
    submit_check,
)
from .errors import (
    AttemptLimitReached,
    CheckRequired,
    CheckWindowClosed,
    ConductOutdated,
    ConductUnavailable,
    IncompleteAnswers,
    InvalidAnswers,
    InvalidReflection,
    ModuleLocked,
    ModuleUnavailable,
    NoCheck,
    NotEnrolled,
    ProgrammeUnavailable,
    ProgressError,
    RestartNotNeeded,
    StaleSubmission,
    format_moment,
)
from .grading import (
    MAX_ID_LENGTH,
    CheckResult,
    QuestionResult,
    grade,
    parse_attempt_number,
    question_form,
    validate_answers,
)
from .overview import (
    ModuleStatus,
    ModuleStudy,
    ProgrammeOverview,
    check_window_closes_at,
    learner_overviews,
    module_study,
    overviews_for_programmes,
    percent_of,
    programme_overview,
    reflections_for,
)
from .summaries import refresh_programme_of, refresh_summaries, store_summary

__all__ = [
    "AttemptLimitReached",
    "CheckRequired",
    "CheckResult",
    "CheckWindowClosed",
    "ConductOutdated",
    "ConductUnavailable",
    "IncompleteAnswers",
    "InvalidAnswers",
    "InvalidReflection",
    "MAX_ID_LENGTH",
    "MAX_REFLECTION_LENGTH",
    "ModuleLocked",
    "ModuleStatus",
    "ModuleStudy",
    "ModuleUnavailable",
    "NoCheck",
    "NotEnrolled",
    "Outcome",
    "ProgrammeOverview",
    "ProgrammeUnavailable",
    "ProgressError",
    "QuestionResult",
    "RestartNotNeeded",
    "StaleSubmission",
    "agree_to_code_of_conduct",
    "check_window_closes_at",
    "enrol",
    "format_moment",
    "grade",
    "learner_overviews",
    "mark_module_complete",
    "module_study",
    "overviews_for_programmes",
    "parse_attempt_number",
    "percent_of",
    "programme_overview",
    "question_form",
    "record_module_started",
    "reflections_for",
    "refresh_programme_of",
    "refresh_summaries",
    "restart",
    "save_reflection",
    "store_summary",
    "submit_check",
    "validate_answers",
]
