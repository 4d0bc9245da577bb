"""What PeerPath records as learners work through a programme.

Learners `Enrolment` in a programme; `ModuleProgress` is their per-module summary row,
`CheckAttempt` one row per submitted knowledge check, `Reflection` their private answers, and
`Attestation` their agreement to a version of the programme's code of conduct. Every rule about
progress lives in `training.progress`; these models only store it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .pages import CodeOfConductVersion, ModulePage, ProgrammePage


class Enrolment(models.Model):
    """A learner's place on a programme, and their summary row for it.

    `completed_at` is set once, by the progress tracker. The summary (`started_at`, required
    modules done of required, percent, `last_activity_at`) is kept by `training.progress` with
    every action and whenever the programme's modules change, so reports filter and sort on
    indexed columns instead of recounting progress rows.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    programme = models.ForeignKey(
        ProgrammePage, on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the learner first opened one of its modules.")
    )
    # The programme's time to pass its knowledge checks runs from enrolment, or from the last
    # restart once it ran out (`peerpath.training.progress.restart`).
    restarted_at = models.DateTimeField(null=True, blank=True)
    restart_count = models.PositiveSmallIntegerField(default=0)
    required_done = models.PositiveSmallIntegerField(default=0)
    required_total = models.PositiveSmallIntegerField(default=0)
    percent_complete = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="unique_enrolment"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=F("enrolled_at")),
                name="enrolment_completed_after_enrolled",
            ),
            models.CheckConstraint(
                condition=Q(required_done__lte=F("required_total")),
                name="enrolment_required_done_within_total",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="enrolment_percent_is_a_percentage"
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "completed_at"]),
            # The learner progress report: newest activity first, overall or per programme,
            # and its state filter (completed / started).
            models.Index(fields=["-last_activity_at", "-id"], name="enrolment_activity_idx"),
            models.Index(
                fields=["programme", "-last_activity_at"], name="enrolment_prog_activity_idx"
            ),
            models.Index(fields=["completed_at", "started_at"], name="enrolment_state_idx"),
        ]

    def __str__(self):
        return f"{self.user} on {self.programme}"

    @property
    def is_complete(self):
        return self.completed_at is not None


class ModuleProgress(models.Model):
    """A learner's summary row for one module: started, completed, best score. Never goes back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="progress")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="module_progress"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="unique_module_progress"),
            models.CheckConstraint(
                condition=Q(best_score__isnull=True) | Q(best_score__lte=100),
                name="module_progress_score_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=F("started_at")),
                name="module_progress_completed_after_started",
            ),
        ]
        verbose_name_plural = _("module progress")

    def __str__(self):
        return f"{self.user} — {self.module}"


class CheckAttempt(models.Model):
    """One submitted knowledge check: what was answered and how it scored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_attempts"
    )
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="check_attempts")
    number = models.PositiveSmallIntegerField(help_text=_("1 for the learner's first attempt."))
    submitted_at = models.DateTimeField(auto_now_add=True)
    answers = models.JSONField(help_text=_("Question id → list of chosen choice ids."))
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()

    class Meta:
        constraints = [
            # Two simultaneous submissions cannot both become attempt N.
            models.UniqueConstraint(
                fields=["user", "module", "number"], name="unique_check_attempt_number"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="check_attempt_score_percent"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="check_attempt_number_positive"
            ),
        ]
        ordering = ["user", "module", "number"]

    def __str__(self):
        return f"{self.user} — {self.module} attempt {self.number}: {self.score}%"


class Reflection(models.Model):
    """A learner's private answer to a reflection prompt. Only its author may ever read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="+")
    prompt_id = models.CharField(max_length=64, help_text=_("The reflection block's id."))
    text = models.TextField(max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "prompt_id"], name="unique_reflection_per_prompt"
            )
        ]

    def __str__(self):
        # Deliberately not the text: reflections may hold disclosures of lived experience.
        return f"Reflection by {self.user} on {self.module}"


class Attestation(models.Model):
    """The learner agreed ("I agree") to a version of a programme's code of conduct at a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attestations"
    )
    conduct_version = models.ForeignKey(
        CodeOfConductVersion, on_delete=models.PROTECT, related_name="attestations"
    )
    agreed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "conduct_version"], name="unique_attestation")
        ]

    def __str__(self):
        return f"{self.user} agreed to {self.conduct_version} at {self.agreed_at:%Y-%m-%d %H:%M}"
