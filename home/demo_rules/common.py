"""Shared by the demo content of the three certification-rules programmes (`rps`, `pwf`, `cpp`):
the continuing-education categories, the demo supervisor, and the helpers that set up learners
and record what certificate holders did.
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import F
from django.utils import timezone

from home.demo import ensure_person
from home.demo_training import answers, complete_module
from peerpath.training import progress
from peerpath.training.models import (
    Attestation,
    CheckAttempt,
    ContinuingEducationActivity,
    ContinuingEducationCategory,
    Enrolment,
    ModuleProgress,
    ProgrammeRequirement,
    SupervisedPracticeEntry,
    SupervisorAssignment,
)
from peerpath.training.practice import log_entry

Kind = ProgrammeRequirement.Kind
Stage = ProgrammeRequirement.Stage
Role = ProgrammeRequirement.SessionRole

ETHICS = "Ethics"
RECOVERY = "Peer support and recovery"
TRAUMA = "Trauma-informed practice"
OTHER = "Other"

CATEGORIES = {
    ETHICS: "Boundaries, confidentiality, dual relationships and the code of conduct.",
    RECOVERY: "Recovery-oriented practice, sharing lived experience, group and one-to-one support.",
    TRAUMA: "Understanding trauma and avoiding re-traumatising the people you support.",
    OTHER: "Anything else relevant to the role, such as first aid or working with services.",
}

SUPERVISOR = {"email": "supervisor@peerpath.example", "name": "Marisol Vance"}

#: Enrolled this many days ago, so the PWF learner's 365-day check window has closed.
WINDOW_CLOSED_DAYS = 400


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ensure_categories():
    """The continuing-education categories the demo programmes count hours in, by name."""
    categories = {}
    for name, description in CATEGORIES.items():
        categories[name], _created = ContinuingEducationCategory.objects.get_or_create(
            name=name, defaults={"description": description}
        )
    return categories


def _required_modules(programme):
    return list(programme.modules().filter(is_required=True))


def ensure_learner(person, programme, done, then):
    """A learner part-way through `programme`, who studied as the site records it (`progress`)."""
    user = ensure_person(person)
    enrolment, created = progress.enrol(user, programme)
    if not created:
        return user
    modules = _required_modules(programme)
    for module in modules[:done]:
        complete_module(user, module)
    if then == "fail next":
        module = modules[done]
        progress.submit_check(user, module, answers(module, correct=False), 1)
    elif then == "window closed":
        _move_back(user, programme, enrolment, datetime.timedelta(days=WINDOW_CLOSED_DAYS))
    return user


def _move_back(user, programme, enrolment, delta):
    """Date the learner's enrolment and study `delta` earlier. `progress` stamps every record with
    the current time and has no parameter for another, so the demo moves the stamps here."""
    modules = programme.modules().values("pk")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=F("enrolled_at") - delta, last_activity_at=F("last_activity_at") - delta
    )
    ModuleProgress.objects.filter(user=user, module__in=modules).update(
        started_at=F("started_at") - delta, completed_at=F("completed_at") - delta
    )
    CheckAttempt.objects.filter(user=user, module__in=modules).update(
        submitted_at=F("submitted_at") - delta
    )
    progress.refresh_summaries(programme, Enrolment.objects.filter(pk=enrolment.pk))


def _record_module_completed(user, module, enrolment, at):
    row, _created = ModuleProgress.objects.get_or_create(
        user=user, module=module, defaults={"enrolment": enrolment}
    )
    if module.has_check:
        attempt, _created = CheckAttempt.objects.get_or_create(
            user=user,
            module=module,
            number=1,
            defaults={"answers": answers(module), "score": 100, "passed": True},
        )
        CheckAttempt.objects.filter(pk=attempt.pk).update(submitted_at=at)
    ModuleProgress.objects.filter(pk=row.pk).update(
        started_at=at - datetime.timedelta(hours=2),
        completed_at=at,
        attempts=1 if module.has_check else 0,
        best_score=100 if module.has_check else None,
    )


def record_completed_training(user, programme, completed_at, refresher_days_ago=None):
    """The holder's enrolment, modules and agreement to the code of conduct, as if they had
    completed the programme at `completed_at` (and, optionally, its refresher module later).

    Written directly rather than through `progress`: completing a programme there is announced,
    and the certificates app would issue a certificate dated today; the demo issues each holder's
    certificate from these dates instead (`home.demo_certificates`).
    """
    enrolment, created = progress.enrol(user, programme)
    if not created:
        return enrolment
    modules = _required_modules(programme)
    started = completed_at - datetime.timedelta(days=7 * len(modules))
    for position, module in enumerate(modules, start=1):
        at = started + (completed_at - started) * position / (len(modules) + 1)
        _record_module_completed(user, module, enrolment, at)
    if refresher_days_ago is not None:
        refresher = programme.modules().filter(ce_category__isnull=False).first()
        _record_module_completed(user, refresher, enrolment, _at(_days_ago(refresher_days_ago)))
    attestation, _created = Attestation.objects.get_or_create(
        user=user, conduct_version=programme.current_code_of_conduct
    )
    Attestation.objects.filter(pk=attestation.pk).update(agreed_at=completed_at)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=started, completed_at=completed_at, last_activity_at=completed_at
    )
    progress.refresh_summaries(programme, Enrolment.objects.filter(pk=enrolment.pk))
    return enrolment


def ensure_supervisor():
    """The demo supervisor account (a learner account with supervisees, not staff)."""
    return ensure_person(SUPERVISOR)


def record_holder_activity(user, programme, holder):
    """What a holder did after their certificate was issued (`HOLDERS` entry): continuing
    education, sessions in the facilitation log, supervised practice with its decisions.

    Call it once, when the holder's certificate is first issued: what it records counts towards
    full certification and renewal from then on.
    """
    categories = {category.name: category for category in ContinuingEducationCategory.objects.all()}
    for days, category, hours, title, provider in holder.get("ce", []):
        ContinuingEducationActivity.objects.create(
            learner=user,
            title=title,
            provider=provider,
            date=_days_ago(days),
            hours=Decimal(hours),
            category=categories[category],
        )
    _log_sessions(user, holder.get("sessions", []))
    practice = holder.get("practice")
    if practice:
        _record_practice(user, programme, practice)


def _log_sessions(user, sessions):
    if not sessions or not apps.is_installed("peerpath.workshops"):
        return
    # The demo workshops unlock with the Foundations certificate, so these sessions name their
    # group without a workshop page, as entries do once their workshop is deleted.
    FacilitationLogEntry = apps.get_model("peerpath_workshops", "FacilitationLogEntry")
    for days, co_facilitator, minutes, participants, title in sessions:
        FacilitationLogEntry.objects.create(
            facilitator=user,
            workshop=None,
            workshop_title=title,
            date=_days_ago(days),
            minutes=minutes,
            participants=participants,
            co_facilitator=co_facilitator,
            # Self-reported, as sessions outside PeerPath are; naming a co-facilitator means
            # the holder co-facilitated.
            role="co" if co_facilitator else "lead",
        )


def _record_practice(user, programme, practice):
    """Supervised practice entries and the supervisor's decisions, dated in the past.

    `practice.sign_off` and `send_back` stamp the decision with the current time, so the demo
    writes the decisions it backdates directly; the pending entry is logged as learners log one.
    """
    supervisor = ensure_supervisor()
    SupervisorAssignment.objects.get_or_create(supervisor=supervisor, learner=user)
    Status = SupervisedPracticeEntry.Status
    entries = []
    count, hours, first, last = practice["signed_off"]
    for number in range(count):
        day = _days_ago(first - (first - last) * number // max(count - 1, 1))
        entries.append(
            SupervisedPracticeEntry(
                learner=user,
                programme=programme,
                date=day,
                hours=Decimal(hours),
                description="Peer support shift at the community wellbeing hub: drop-in "
                "conversations and one-to-one support, debriefed with my supervisor.",
                status=Status.SIGNED_OFF,
                reviewed_by=supervisor,
                reviewed_at=_at(day + datetime.timedelta(days=2), hour=16),
            )
        )
    if "sent_back" in practice:
        days, hours, description, comment = practice["sent_back"]
        entries.append(
            SupervisedPracticeEntry(
                learner=user,
                programme=programme,
                date=_days_ago(days),
                hours=Decimal(hours),
                description=description,
                status=Status.SENT_BACK,
                reviewed_by=supervisor,
                reviewed_at=_at(_days_ago(days - 2), hour=16),
                comment=comment,
            )
        )
    SupervisedPracticeEntry.objects.bulk_create(entries)
    if "pending" in practice:
        days, hours, description = practice["pending"]
        log_entry(
            user, programme, date=_days_ago(days), hours=Decimal(hours), description=description
        )
