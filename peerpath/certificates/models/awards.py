"""A certificate awarded on recognition of prior learning: who awarded it, for which organisation,
on what evidence.

The certificate itself is an ordinary one, made by the same issuing code (`awards.py` of the app);
this row is the record of why it exists. The public verification page never shows it; the admin
and the holder's data export do. The evidence file is kept in private storage
(`peerpath.storage`), served only to staff who may see the certificate.
"""

import os
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.storage import private_storage


def evidence_path(award, filename):
    """Evidence files get an unguessable name (the uploaded name says nothing once stored)."""
    extension = os.path.splitext(filename)[1].lower()[:8]
    return f"prior-learning/{timezone.now():%Y}/{secrets.token_hex(16)}{extension}"


class PriorLearningAward(models.Model):
    certificate = models.OneToOneField(
        "peerpath_certificates.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="prior_learning_award",
    )
    organisation = models.ForeignKey(
        "peerpath_organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prior_learning_awards",
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("awarded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    awarded_at = models.DateTimeField(_("awarded at"), default=timezone.now)
    original_issued_on = models.DateField(
        _("originally issued on"),
        help_text=_("When the holder was first certified, before PeerPath."),
    )
    evidence_note = models.TextField(
        _("evidence"),
        max_length=2000,
        help_text=_("What shows the holder met the standard, e.g. the course and its date."),
    )
    evidence_file = models.FileField(
        _("evidence file"),
        storage=private_storage,
        upload_to=evidence_path,
        blank=True,
        max_length=255,
    )

    class Meta:
        verbose_name = _("award on recognition of prior learning")
        verbose_name_plural = _("awards on recognition of prior learning")
        ordering = ["-awarded_at", "-pk"]

    def __str__(self):
        return str(self.certificate)
