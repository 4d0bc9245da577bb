"""What the progress tracker refuses, and why: `ProgressError` and its kinds.

Each has a `message` that can be shown to the learner and a `status_code` that suits an HTTP
response; views turn them into messages.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def format_moment(value):
    """A moment as learners read it: "3 March 2027 at 14:05 UTC" (in the site's time zone)."""
    value = timezone.localtime(value)
    return format_lazy(
        _("{date} at {time}"),
        date=date_format(value, "j F Y"),
        time=date_format(value, "H:i T"),
    )


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
