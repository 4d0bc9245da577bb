"""Certification requirements: what a programme asks for beyond its modules, checks and code of
conduct (for full certification, or for each renewal), and the continuing-education categories
hours are counted in. How each kind is counted lives in `training.requirements`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from .pages import ProgrammePage


class ContinuingEducationCategory(models.Model):
    """A subject continuing-education hours are counted in, e.g. "Ethics". Administrators keep the
    list; requirements may set a minimum per category."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("continuing-education category")
        verbose_name_plural = _("continuing-education categories")

    def __str__(self):
        return self.name


class ProgrammeRequirement(Orderable):
    """One thing, beyond the modules, checks and code of conduct, that a programme requires:
    for full certification (`Stage.FULL`) or for each renewal (`Stage.RENEWAL`).

    `minimum` is hours for the hour kinds and a number of sessions for `SESSIONS`. How each kind
    is counted lives in `training/requirements.py`.
    """

    class Kind(models.TextChoices):
        SUPERVISED_HOURS = "supervised_hours", _("Supervised practice hours signed off")
        SESSIONS = "sessions", _("Sessions facilitated (from the facilitation record)")
        CE_HOURS = "ce_hours", _("Continuing-education hours")

    class Stage(models.TextChoices):
        FULL = "full", _("For full certification")
        RENEWAL = "renewal", _("For each renewal")

    class SessionRole(models.TextChoices):
        ANY = "any", _("Led or co-facilitated")
        LED = "led", _("Led, as the lead facilitator")
        CO_FACILITATED = "co_facilitated", _("Co-facilitated, alongside a lead facilitator")

    programme = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="requirements")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.FULL)
    kind = models.CharField(
        _("kind"), max_length=32, choices=Kind.choices, default=Kind.SUPERVISED_HOURS
    )
    minimum = models.DecimalField(
        _("amount needed"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("5000"))],
        help_text=_(
            "Hours (supervised practice, continuing education) or a number of sessions, "
            "e.g. 250 supervised hours, 36 CE hours, 3 sessions."
        ),
    )
    session_role = models.CharField(
        _("sessions that count"),
        max_length=16,
        choices=SessionRole.choices,
        default=SessionRole.ANY,
        help_text=_("Sessions only."),
    )
    count_self_reported = models.BooleanField(
        _("self-reported sessions count"),
        default=False,
        help_text=_(
            "Sessions only. Sessions run through PeerPath count once a co-facilitator or the "
            "organisation's staff confirm them. Tick to count, too, sessions facilitators record "
            "themselves (groups run outside PeerPath); they show as self-reported everywhere."
        ),
    )
    category = models.ForeignKey(
        ContinuingEducationCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Continuing education only: count hours in this category. Leave blank to count "
            "hours in any category (the total)."
        ),
    )

    panels = [
        FieldPanel("stage"),
        FieldPanel("kind"),
        FieldPanel("minimum"),
        FieldPanel("session_role"),
        FieldPanel("count_self_reported"),
        FieldPanel("category"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.CheckConstraint(condition=Q(minimum__gt=0), name="requirement_minimum_positive"),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(kind="ce_hours"),
                name="requirement_category_only_for_ce",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} — {self.get_kind_display()}: {self.minimum}"

    @property
    def sessions_that_count(self):
        """ "led as the lead facilitator", "co-facilitated" or "facilitated"."""
        return {
            self.SessionRole.LED: _("led as the lead facilitator"),
            self.SessionRole.CO_FACILITATED: _("co-facilitated"),
        }.get(self.session_role, _("facilitated"))

    @property
    def description(self):
        """The rule in words, for the programme page: "3 sessions co-facilitated with another
        facilitator"."""
        amount = f"{self.minimum.normalize():f}" if self.minimum is not None else "?"
        count = 1 if self.minimum == 1 else 2  # ngettext's choice of form
        if self.kind == self.Kind.SUPERVISED_HOURS:
            return ngettext(
                "%(n)s hour of supervised practice, signed off by your supervisor",
                "%(n)s hours of supervised practice, signed off by your supervisor",
                count,
            ) % {"n": amount}
        if self.kind == self.Kind.SESSIONS:
            if self.count_self_reported:
                return ngettext(
                    "%(n)s session %(what)s, confirmed or self-reported in your facilitation "
                    "record",
                    "%(n)s sessions %(what)s, confirmed or self-reported in your facilitation "
                    "record",
                    count,
                ) % {"n": amount, "what": self.sessions_that_count}
            return ngettext(
                "%(n)s session %(what)s, confirmed in your facilitation record",
                "%(n)s sessions %(what)s, confirmed in your facilitation record",
                count,
            ) % {"n": amount, "what": self.sessions_that_count}
        if self.category_id:
            return ngettext(
                "at least %(n)s continuing-education hour in %(category)s",
                "at least %(n)s continuing-education hours in %(category)s",
                count,
            ) % {"n": amount, "category": self.category.name}
        return ngettext(
            "%(n)s continuing-education hour in total",
            "%(n)s continuing-education hours in total",
            count,
        ) % {"n": amount}

    def clean(self):
        super().clean()
        if self.category_id and self.kind != self.Kind.CE_HOURS:
            raise ValidationError(
                {"category": _("Only continuing-education requirements have a category.")}
            )
        if self.kind == self.Kind.SESSIONS and self.minimum is not None:
            if self.minimum != self.minimum.to_integral_value():
                raise ValidationError({"minimum": _("Give a whole number of sessions.")})
