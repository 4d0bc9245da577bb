"""Cohorts and invitations: how an organisation's coordinators bring people in and follow them.

A `Cohort` is a named group of an organisation's learners following one or more programmes between
a start and a target date (`cohorts.py` runs them; the coach view is `coaching.py`'s). An
`Invitation` asks one e-mail address to join an organisation, and optionally a cohort; accepting
it creates or links an account, makes it a member and enrols it (`invitations.py`). Invitations
hold an invitee's name and address until the invitation is settled and its retention ends
(`privacy.py`).
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: How cohorts are listed: by organisation, newest first. Aggregate queries drop Meta.ordering,
#: so listings that count members order by this themselves.
COHORT_ORDERING = ["organisation__name", "-starts_on", "name"]


class Cohort(models.Model):
    organisation = models.ForeignKey(
        "peerpath_organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="cohorts",
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("e.g. 'Spring 2027 volunteers'.")
    )
    programmes = models.ManyToManyField(
        "peerpath_training.ProgrammePage",
        verbose_name=_("programmes"),
        related_name="cohorts",
        help_text=_("What its members follow: they are enrolled when they join."),
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    target_on = models.DateField(
        _("target date"),
        null=True,
        blank=True,
        help_text=_("When members should have completed their programmes."),
    )
    notes = models.TextField(
        _("notes"),
        max_length=1000,
        blank=True,
        help_text=_("For coordinators. No personal details about members, please."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CohortMember",
        related_name="cohorts",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("cohort")
        ordering = COHORT_ORDERING
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="one_cohort_name_per_organisation",
                violation_error_message=_("The organisation already has a cohort of that name."),
            ),
            models.CheckConstraint(
                condition=Q(target_on__isnull=True) | Q(target_on__gte=F("starts_on")),
                name="cohort_target_after_start",
                violation_error_message=_("The target date cannot be before the start."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.target_on and self.starts_on and self.target_on < self.starts_on:
            raise ValidationError({"target_on": _("The target date cannot be before the start.")})


class CohortMember(models.Model):
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    last_nudged_at = models.DateTimeField(_("last nudged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort member")
        ordering = ["cohort", "user__last_name", "user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_place_per_cohort")
        ]

    def __str__(self):
        return f"{self.user} — {self.cohort}"


def new_nonce():
    return secrets.token_urlsafe(16)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked (an expired one is open until re-sent or revoked)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now=None):
        """Open and not yet expired: the link still works."""
        return self.open().filter(expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An invitation to join `organisation` (and `cohort`), sent to one address.

    The link carries `public_id` and `nonce`, signed (`invitations.py`); re-sending draws a new
    nonce, so only the latest link works. Accepted or revoked, it is settled.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    organisation = models.ForeignKey(
        "peerpath_organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_address",
                violation_error_message=_("That address already has an open invitation."),
            )
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self):
        return self.email

    @property
    def status(self):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
