"""Continuing education a certificate holder logs outside PeerPath, with private evidence files."""

import os
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Migrations name `private_storage` by this module's path: keep importing it here.
from peerpath.storage import private_storage

from .requirements import ContinuingEducationCategory


def evidence_upload_to(instance, filename):
    """Evidence files get an unguessable name; the learner's file name is kept on the row."""
    extension = os.path.splitext(filename)[1].lower()[:8]
    return f"evidence/{instance.learner_id}/{secrets.token_hex(16)}{extension}"


class ContinuingEducationActivity(models.Model):
    """Learning a certificate holder did outside PeerPath (a course, a conference session), logged
    by them to count towards renewal. Private to the learner and the administrators who check
    renewals; the evidence file is served only by `training.continuing_views`."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ce_activities"
    )
    # What the learner did and where, so an administrator checking a renewal can recognise it.
    title = models.CharField(_("activity"), max_length=200)
    provider = models.CharField(_("provider"), max_length=120)
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
    )
    category = models.ForeignKey(
        ContinuingEducationCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    # A certificate of attendance or similar, which programmes ask for when they audit renewals.
    evidence = models.FileField(
        _("evidence"), upload_to=evidence_upload_to, storage=private_storage, blank=True
    )
    evidence_name = models.CharField(max_length=120, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("continuing-education activity")
        verbose_name_plural = _("continuing-education activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=100), name="ce_activity_hours_range"
            ),
        ]
        indexes = [models.Index(fields=["learner", "date"])]

    def __str__(self):
        return f"{self.title} ({self.hours} h, {self.date:%Y-%m-%d})"
