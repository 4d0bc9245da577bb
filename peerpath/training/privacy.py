"""What training contributes to the account export and to account erasure (accounts.privacy).

Erasure deletes what a learner wrote or answered (reflections, knowledge-check answers, supervised
practice entries, continuing-education activities and their evidence files) and supervisor
assignments on either side, and keeps the anonymous facts that the organisation's figures count:
enrolments, module completions and code-of-conduct agreements now belong to an account with no
name or e-mail.
"""

from django.db import transaction
from django.db.models.signals import post_delete

from .models import (
    Attestation,
    CheckAttempt,
    ContinuingEducationActivity,
    Enrolment,
    ModuleProgress,
    Reflection,
    SupervisedPracticeEntry,
    SupervisorAssignment,
)


def _continuing_education(user):
    """The learner's CE activities as records, and their evidence files for the archive (named
    ``continuing_education/<id>-<original name>`` so that two files of the same name both fit)."""
    records, files = [], []
    activities = (
        ContinuingEducationActivity.objects.filter(learner=user)
        .select_related("category")
        .order_by("date", "pk")
    )
    for activity in activities:
        file_in_archive = None
        if activity.evidence:
            name = f"continuing_education/{activity.pk}-{activity.evidence_name or 'evidence'}"
            try:
                with activity.evidence.open("rb") as handle:
                    files.append((name, handle.read()))
                file_in_archive = name
            except OSError:
                pass  # A missing file is listed by its name only.
        records.append(
            {
                "title": activity.title,
                "provider": activity.provider,
                "date": activity.date,
                "hours": str(activity.hours),
                "category": activity.category.name,
                "evidence_name": activity.evidence_name,
                "evidence_file": file_in_archive,
                "created_at": activity.created_at,
            }
        )
    return records, files


def delete_ce_activities(activities):
    """Delete continuing-education activities; their evidence files go once that commits (see
    `_evidence_deleted`)."""
    activities.delete()


def _evidence_deleted(sender, instance, **kwargs):
    """However an activity goes — the learner deletes it, erasure, or the account deleted in the
    admin — its evidence file goes too, once the deletion commits (a rollback keeps it)."""
    if instance.evidence:
        storage, name = instance.evidence.storage, instance.evidence.name
        transaction.on_commit(lambda: storage.delete(name))


def connect():
    post_delete.connect(
        _evidence_deleted,
        sender=ContinuingEducationActivity,
        dispatch_uid="peerpath_training.ce_evidence_deleted",
    )


def export_personal_data(user):
    ce_activities, ce_files = _continuing_education(user)
    enrolments = Enrolment.objects.filter(user=user).select_related("programme")
    progress = ModuleProgress.objects.filter(user=user).select_related("module")
    attempts = CheckAttempt.objects.filter(user=user).select_related("module")
    reflections = Reflection.objects.filter(user=user).select_related("module")
    attestations = Attestation.objects.filter(user=user).select_related(
        "conduct_version__programme"
    )
    return {
        "data": {
            "enrolments": [
                {
                    "programme": e.programme.title,
                    "enrolled_at": e.enrolled_at,
                    "last_activity_at": e.last_activity_at,
                    "completed_at": e.completed_at,
                    "restarted_at": e.restarted_at,
                    "restart_count": e.restart_count,
                }
                for e in enrolments.order_by("enrolled_at")
            ],
            "module_progress": [
                {
                    "module": p.module.title,
                    "started_at": p.started_at,
                    "completed_at": p.completed_at,
                    "best_score": p.best_score,
                    "attempts": p.attempts,
                }
                for p in progress.order_by("started_at")
            ],
            "check_attempts": [
                {
                    "module": a.module.title,
                    "number": a.number,
                    "submitted_at": a.submitted_at,
                    "answers": a.answers,
                    "score": a.score,
                    "passed": a.passed,
                }
                for a in attempts.order_by("submitted_at")
            ],
            "reflections": [
                {
                    "module": r.module.title,
                    "prompt_id": r.prompt_id,
                    "text": r.text,
                    "created_at": r.created_at,
                    "updated_at": r.updated_at,
                }
                for r in reflections.order_by("created_at")
            ],
            "code_of_conduct_agreements": [
                {
                    "programme": a.conduct_version.programme.title,
                    "version": a.conduct_version.version,
                    "agreed_at": a.agreed_at,
                }
                for a in attestations.order_by("agreed_at")
            ],
            "supervised_practice": [
                {
                    "programme": e.programme.title,
                    "date": e.date,
                    "hours": str(e.hours),
                    "description": e.description,
                    "status": e.status,
                    "reviewed_at": e.reviewed_at,
                    "supervisor_comment": e.comment,
                }
                for e in SupervisedPracticeEntry.objects.filter(learner=user)
                .select_related("programme")
                .order_by("date", "pk")
            ],
            "supervisors": [
                {"supervisor": str(a.supervisor), "assigned_at": a.assigned_at}
                for a in SupervisorAssignment.objects.filter(learner=user).select_related(
                    "supervisor"
                )
            ],
            "supervising": [
                {"learner": str(a.learner), "assigned_at": a.assigned_at}
                for a in SupervisorAssignment.objects.filter(supervisor=user).select_related(
                    "learner"
                )
            ],
            "continuing_education": ce_activities,
        },
        "files": ce_files,
    }


def erase_personal_data(user, erased_by=None):
    Reflection.objects.filter(user=user).delete()
    # The attempts' answers go; the best score on the module's progress row stays, unnamed.
    CheckAttempt.objects.filter(user=user).delete()
    # Practice descriptions may describe the people supported: they go, signed off or not (a
    # queryset delete, so the per-entry guard against changing signed-off entries does not apply;
    # the certificates they earned are relinquished by the same erasure).
    SupervisedPracticeEntry.objects.filter(learner=user).delete()
    SupervisorAssignment.objects.filter(learner=user).delete()
    SupervisorAssignment.objects.filter(supervisor=user).delete()
    delete_ce_activities(ContinuingEducationActivity.objects.filter(learner=user))
