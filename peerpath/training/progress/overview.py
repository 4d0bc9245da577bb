"""The read model: what a learner's progress looks like.

`ProgrammeOverview` is a learner's standing on one programme (with a `ModuleStatus` per module);
`ModuleStudy` what a visitor may do on one module page. Built from the programme's cached structure
(`training.structure`) and the learner's rows in a constant number of queries. Nothing here writes.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import (
    Attestation,
    CodeOfConductVersion,
    Enrolment,
    ModulePage,
    ModuleProgress,
    ProgrammePage,
    Reflection,
    minutes_to_hours,
)
from ..structure import ModuleOutline, structures_for


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
        programme.estimated_minutes = overview.minutes_total
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
