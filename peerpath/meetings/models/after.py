"""After a session: the lead facilitator files a `Debrief` (`debriefs.py`), which may raise a
`SafeguardingConcern` and makes each facilitator's `FacilitationLogEntry` (workshops), linked here
by a `SessionRecord` (`record.py`). Participants answer anonymously (`FeedbackResponse`) through a
one-time `FeedbackInvitation` or the session's walk-in code (`feedback.py`). An organisation keeps
its own `SignpostingCategory` list and `LocalService` list (`signposting.py`).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.organisations.models import Organisation
from peerpath.workshops.models import MAX_GROUP_SIZE, FacilitationLogEntry

from ..choices import ConcernStatus, HowItWent
from .sessions import Session


class SignpostingCategory(models.Model):
    """A kind of help a facilitator may point someone to, counted in debriefs ("Crisis line",
    "GP or mental-health team", "Other local service"). Each organisation keeps its own list; a
    category no longer offered is retired, not deleted, so past debriefs keep their counts."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="signposting_categories",
    )
    name = models.CharField(_("name"), max_length=80)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("offered in debriefs"),
        default=True,
        help_text=_("Untick to stop offering it; past debriefs keep their counts."),
    )

    class Meta:
        verbose_name = _("signposting category")
        verbose_name_plural = _("signposting categories")
        ordering = ["organisation", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="one_signposting_category_name_per_org"
            )
        ]

    def __str__(self):
        return self.name


#: The categories every organisation starts with (`quality_setup.py`).
DEFAULT_SIGNPOSTING_CATEGORIES = (
    _("Crisis line"),
    _("GP or mental-health team"),
    _("Other local service"),
)


class LocalService(models.Model):
    """A local service an organisation's facilitators may signpost people to, shown to them beside
    the site-wide crisis lines."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="local_services",
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(
        _("what it offers"), max_length=400, blank=True, help_text=_("Who it is for, what it does.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("local service")
        verbose_name_plural = _("local services")
        ordering = ["organisation", "sort_order", "name"]

    def __str__(self):
        return self.name


class Debrief(models.Model):
    """The lead facilitator's account of a session, filed once after it (`debriefs.py`).

    Holds nothing that identifies a participant: the form asks for no names and says why.
    """

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="debrief"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="debriefs_filed",
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    attendance = models.PositiveSmallIntegerField(
        _("how many came"), validators=[MaxValueValidator(MAX_GROUP_SIZE)]
    )
    how_it_went = models.CharField(_("how it went"), max_length=20, choices=HowItWent.choices)
    notes = models.TextField(
        _("notes"),
        max_length=2000,
        blank=True,
        help_text=_("What went well and what to change. No names or details that identify anyone."),
    )
    signposting = models.ManyToManyField(
        SignpostingCategory,
        verbose_name=_("signposting given"),
        blank=True,
        related_name="debriefs",
    )
    # What the lead ticked of the workshop's fidelity checklist, kept as it was asked:
    # [{"check": "Group agreements read at the start", "done": true}, …].
    fidelity = models.JSONField(_("fidelity checklist"), default=list, blank=True)
    concern = models.BooleanField(_("safeguarding concern"), default=False)

    class Meta:
        verbose_name = _("debrief")
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance__lte=MAX_GROUP_SIZE), name="debrief_attendance_range"
            )
        ]

    def __str__(self):
        return str(self.session)


class SafeguardingConcern(models.Model):
    """A safeguarding concern raised in a debrief: sent at once to the organisation's safeguarding
    contact and kept with who raised it and when (`debriefs.py`). Only the organisation's staff
    see it."""

    debrief = models.OneToOneField(
        Debrief, verbose_name=_("debrief"), on_delete=models.CASCADE, related_name="safeguarding"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="concerns"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="safeguarding_concerns",
    )
    summary = models.TextField(
        _("what happened"),
        max_length=2000,
        help_text=_(
            "What you noticed and what you did. No names or details that identify anyone: the "
            "safeguarding lead will contact you for those."
        ),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="concerns_raised",
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    notified_to = models.CharField(_("sent to"), max_length=254, blank=True, editable=False)
    notified_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last updated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome = models.TextField(
        _("action taken"),
        max_length=2000,
        blank=True,
        help_text=_("What was done. No names or details that identify anyone."),
    )

    class Meta:
        verbose_name = _("safeguarding concern")
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.session} — {self.get_status_display()}"


class SessionRecord(models.Model):
    """Links a facilitator's log entry to the session it was made from (`record.py`): one entry
    per facilitator and session. The entry outlives the session."""

    entry = models.OneToOneField(
        FacilitationLogEntry, on_delete=models.CASCADE, related_name="session_record"
    )
    session = models.ForeignKey(
        Session, null=True, on_delete=models.SET_NULL, related_name="records"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="session_records"
    )

    class Meta:
        verbose_name = _("session record")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "facilitator"], name="one_record_per_session_and_facilitator"
            )
        ]

    def __str__(self):
        return str(self.entry)


class FeedbackInvitation(models.Model):
    """A one-time link to a session's feedback form. Holds only the SHA-256 of the link's token
    and which session it is for: no booking, no address, no time it was made. Deleted when used,
    so nothing joins an answer to the person who was sent the link (`feedback.py`)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="feedback_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("feedback invitation")

    def __str__(self):
        return f"{self.session} — {_('feedback invitation')}"


class FeedbackResponse(models.Model):
    """One participant's anonymous answer about a session: three statements on a 5-point scale
    (1 strongly disagree … 5 strongly agree) and an optional comment.

    Not linked to any booking or person; stored with the day it came, never the time. Comments
    are for the organisation's staff, who may release one to the session's facilitators.
    """

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="feedback"
    )
    felt_safe = models.PositiveSmallIntegerField(
        _("I felt safe"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    felt_heard = models.PositiveSmallIntegerField(
        _("I felt heard"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    would_return = models.PositiveSmallIntegerField(
        _("I would come again"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    comment_released = models.BooleanField(_("shown to the facilitators"), default=False)
    submitted_on = models.DateField(_("answered on"))

    #: The statements, by field name, in the order the form asks them.
    STATEMENTS = ("felt_safe", "felt_heard", "would_return")

    class Meta:
        verbose_name = _("feedback response")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(felt_safe__gte=1, felt_safe__lte=5)
                & Q(felt_heard__gte=1, felt_heard__lte=5)
                & Q(would_return__gte=1, would_return__lte=5),
                name="feedback_scores_on_the_scale",
            )
        ]

    def __str__(self):
        return f"{self.session} — {self.submitted_on:%Y-%m-%d}"
