"""Supervised practice: programmes with a provisional stage may require hours of practice signed
off by a supervisor. Learners log `SupervisedPracticeEntry`s that the supervisor assigned to them
(`SupervisorAssignment`) signs off or sends back (rules in `training.practice`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .pages import ProgrammePage


class SupervisorAssignment(models.Model):
    """A supervisor assigned to a learner: they see the learner's supervised practice log and
    sign entries off or send them back. Managed by administrators."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.CASCADE,
        related_name="supervisees",
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="supervisors",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervisor assignment")
        verbose_name_plural = _("supervisor assignments")
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "learner"], name="unique_supervision"),
            models.CheckConstraint(
                condition=~Q(supervisor=F("learner")), name="supervisor_is_not_the_learner"
            ),
        ]

    def __str__(self):
        return f"{self.supervisor} supervises {self.learner}"

    def clean(self):
        super().clean()
        if self.supervisor_id and self.supervisor_id == self.learner_id:
            raise ValidationError(_("A learner cannot supervise themselves."))


class SignedOffEntryError(ValidationError):
    """A signed-off practice entry was about to be changed or deleted."""


class SupervisedPracticeEntry(models.Model):
    """Hours of supervised practice a learner logged for a programme, and the supervisor's
    decision. Signed-off entries never change: saving or deleting one raises."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for sign-off")
        SIGNED_OFF = "signed_off", _("Signed off")
        SENT_BACK = "sent_back", _("Sent back")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_entries"
    )
    programme = models.ForeignKey(
        ProgrammePage, on_delete=models.CASCADE, related_name="practice_entries"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    # What the learner did, so the supervisor can recognise the work they are signing off.
    description = models.TextField(_("what you did"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Who decided, and their comment when sending it back: the record of supervision.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    comment = models.TextField(_("supervisor's comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervised practice entry")
        verbose_name_plural = _("supervised practice entries")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="practice_hours_in_a_day"
            ),
            models.CheckConstraint(
                condition=~Q(status="signed_off") | Q(reviewed_at__isnull=False),
                name="signed_off_entry_has_review_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent_back") | ~Q(comment=""),
                name="sent_back_entry_has_comment",
            ),
        ]
        indexes = [models.Index(fields=["learner", "programme", "status"])]

    def __str__(self):
        return f"{self.learner} — {self.date}: {self.hours} h ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.stored_status() == self.Status.SIGNED_OFF:
            raise SignedOffEntryError(_("A signed-off entry cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_status() == self.Status.SIGNED_OFF:
            raise SignedOffEntryError(_("A signed-off entry cannot be deleted."))
        return super().delete(*args, **kwargs)

    def stored_status(self):
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
