"""Training pages: a `TrainingIndexPage` lists `ProgrammePage`s; each programme leads to a credential
and holds `ModulePage`s. `CodeOfConductVersion` freezes each published version of a programme's code
of conduct, which learners agree to.

What a page shows one visitor depends on their progress, which the progress tracker
(`training.progress`, built on these models) works out. So the pages do not build that part of their
context themselves: `training.page_views`, which sits above the models and the tracker, registers a
`PageView` for each page type when the app is ready (`register_page_view`), and the pages call it.
"""

import dataclasses
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from http import HTTPMethod

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ModuleBodyBlock, QuestionBlock


@dataclasses.dataclass(frozen=True)
class PageView:
    """What a training page shows one visitor, and what serving it to them records.

    `add_context(page, request, context)` adds the visitor's part to the page's context;
    `served(page, request, context)`, if given, runs when the page is served (not when its context
    is built for another purpose, such as re-rendering it with an error), before it renders.
    """

    add_context: Callable
    served: Callable | None = None


#: page class → its `PageView`, registered by `training.page_views` when the app is ready.
page_views = {}


def register_page_view(page_class, view):
    """Let `view` (a `PageView`) build what pages of `page_class` show each visitor."""
    page_views[page_class] = view


def page_view(page):
    try:
        return page_views[type(page)]
    except KeyError:
        raise ImproperlyConfigured(
            f"No PageView is registered for {type(page).__name__}: is 'training' in INSTALLED_APPS?"
        ) from None


class VisitorPage(Page):
    """A page whose context depends on who is looking (see `PageView`)."""

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_view(self).add_context(self, request, context)
        return context

    def serve(self, request, *args, **kwargs):
        request.is_preview = False
        context = self.get_context(request, *args, **kwargs)
        served = page_view(self).served
        if served is not None:
            served(self, request, context)
        return TemplateResponse(request, self.get_template(request, *args, **kwargs), context)


PERCENT = [MinValueValidator(1), MaxValueValidator(100)]


class TrainingIndexPage(VisitorPage):
    """The list of training programmes a site offers."""

    # Templates keep their folder name, not the app label (peerpath_…).
    template = "training/training_index_page.html"

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    subpage_types = ["peerpath_training.ProgrammePage"]
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]

    class Meta:
        verbose_name = _("training index page")

    def programmes(self):
        """The live programmes listed here, in the order editors arranged them."""
        return ProgrammePage.objects.child_of(self).live().order_by("path")


class ProgrammePage(VisitorPage):
    """A course that leads to a credential, e.g. "Peer Support Group Facilitator"."""

    # Templates keep their folder name, not the app label (peerpath_…).
    template = "training/programme_page.html"

    credential_name = models.CharField(
        _("credential name"),
        max_length=120,
        help_text=_(
            "What the certificate says the holder is, e.g. 'Peer Support Group Facilitator'."
        ),
    )
    credential_code = models.CharField(
        _("credential code"),
        max_length=8,
        validators=[RegexValidator(r"^[A-Z]{2,8}$", _("Use 2 to 8 capital letters."))],
        help_text=_("Starts every certificate number, e.g. PSGF gives PSGF-2026-000042."),
    )
    summary = models.TextField(_("summary"), max_length=600)
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(max_length=300, icon="tick"))],
        blank=True,
        verbose_name=_("learning outcomes"),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Leave blank for certificates that never expire."),
    )
    grace_period_days = models.PositiveSmallIntegerField(
        _("grace period after expiry (days)"),
        default=0,
        validators=[MaxValueValidator(730)],
        help_text=_(
            "For this many days after expiry a certificate is 'lapsed': not valid for practice, "
            "but renewable without training again. 0: it expires at once. Fixed on each "
            "certificate when it is issued."
        ),
    )
    provisional_validity_months = models.PositiveSmallIntegerField(
        _("provisional certificate valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Set it when completing the training earns a provisional certificate first, valid "
            "this long; a full certificate replaces it once its requirements are met. Leave "
            "blank to issue a full certificate straight away."
        ),
    )
    check_window_days = models.PositiveSmallIntegerField(
        _("days to pass the knowledge checks"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_(
            "Learners must pass every knowledge check within this many days of enrolling; "
            "after that, attempts close and they restart the programme. Leave blank for no "
            "time limit."
        ),
    )
    ce_carry_over_hours = models.PositiveSmallIntegerField(
        _("continuing-education hours carried over"),
        default=0,
        validators=[MaxValueValidator(200)],
        help_text=_(
            "Up to this many continuing-education hours beyond what one renewal needed count "
            "towards the next. 0: extra hours do not carry over."
        ),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("default pass mark (%)"),
        default=80,
        validators=PERCENT,
        help_text=_("Used by knowledge checks that do not set their own."),
    )
    # Referenced by name only, so training's code imports nothing from certificates.
    certificate_template = models.ForeignKey(
        "peerpath_certificates.CertificateTemplate",
        verbose_name=_("certificate template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
        help_text=_("Leave blank to use the site's default certificate design."),
    )
    organisations = ParentalManyToManyField(
        "peerpath_organisations.Organisation",
        verbose_name=_("run by"),
        blank=True,
        related_name="programmes",
        help_text=_(
            "Organisations that run this programme: their coordinators may enrol cohorts in it "
            "and award its credential on recognition of prior learning."
        ),
    )
    code_of_conduct = RichTextField(
        _("code of conduct"),
        features=["h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_(
            "Learners agree to this before they complete the programme. Publishing a change "
            "creates a new version that learners must agree to again."
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("credential_name"),
        index.SearchField("summary"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("credential_name"),
                FieldPanel("credential_code"),
                FieldPanel("validity_months"),
                FieldPanel("grace_period_days"),
                FieldPanel("provisional_validity_months"),
                FieldPanel("certificate_template"),
            ],
            heading=_("Credential"),
        ),
        InlinePanel(
            "requirements",
            heading=_("Certification requirements"),
            label=_("Requirement"),
            help_text=_(
                "Beyond the modules, knowledge checks and code of conduct. 'For full "
                "certification': met while the provisional certificate is in force, or before "
                "any certificate is issued when the programme has no provisional stage. 'For "
                "each renewal': met within each certificate's period of validity."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("check_window_days"),
                FieldPanel("ce_carry_over_hours"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("organisations", widget=forms.CheckboxSelectMultiple),
        FieldPanel("code_of_conduct"),
    ]

    parent_page_types = ["peerpath_training.TrainingIndexPage"]
    subpage_types = ["peerpath_training.ModulePage"]
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]

    class Meta:
        verbose_name = _("training programme")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Saving a draft revision saves only bookkeeping fields while the instance holds the
        # draft text; only a full save (creation, publishing) may freeze a new version.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "code_of_conduct" in update_fields:
            CodeOfConductVersion.record(self)

    @cached_property
    def current_code_of_conduct(self):
        """The latest `CodeOfConductVersion`: the one learners must have agreed to."""
        return self.code_of_conduct_versions.order_by("-version").first()

    def modules(self):
        """The programme's live modules in the order editors arranged them."""
        return ModulePage.objects.child_of(self).live().order_by("path")

    @cached_property
    def estimated_minutes(self):
        """Minutes of study in the required modules: what every holder of the credential did."""
        total = self.modules().filter(is_required=True).aggregate(total=Sum("estimated_minutes"))
        return total["total"] or 0

    @property
    def estimated_hours(self):
        """Training hours (required modules), as a Decimal with one decimal place."""
        return minutes_to_hours(self.estimated_minutes)


class ModulePage(VisitorPage):
    """One unit of a programme: a body to study and, optionally, a knowledge check to pass."""

    # Templates keep their folder name, not the app label (peerpath_…).
    template = "training/module_page.html"

    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("Shown to everyone, enrolled or not.")
    )
    body = StreamField(ModuleBodyBlock(), blank=True, verbose_name=_("body"))
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("Adds up to the programme's training hours."),
    )
    is_required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Optional modules do not count towards completion."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        verbose_name=_("prerequisites"),
        help_text=_("Modules of the same programme that must be completed first."),
    )
    check_questions = StreamField(
        [("question", QuestionBlock())],
        blank=True,
        verbose_name=_("knowledge check questions"),
        help_text=_("Leave empty for a module learners mark as complete themselves."),
    )
    check_pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Leave blank to use the programme's default."),
    )
    check_attempt_limit = models.PositiveSmallIntegerField(
        _("attempt limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave blank for unlimited attempts."),
    )
    ce_category = models.ForeignKey(
        "peerpath_training.ContinuingEducationCategory",
        verbose_name=_("continuing-education category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Set it for a refresher module: completing it counts its estimated time as "
            "continuing-education hours in this category."
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("is_required"),
                FieldPanel("prerequisites"),
                FieldPanel("ce_category"),
            ],
            heading=_("Place in the programme"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("check_questions"),
                FieldPanel("check_pass_mark"),
                FieldPanel("check_attempt_limit"),
            ],
            heading=_("Knowledge check"),
        ),
    ]

    parent_page_types = ["peerpath_training.ProgrammePage"]
    subpage_types = []
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]

    class Meta:
        verbose_name = _("training module")

    @property
    def has_check(self):
        """Whether learners complete this module by passing a knowledge check."""
        return len(self.check_questions) > 0

    @cached_property
    def programme(self):
        """The programme this module belongs to (its parent page)."""
        return ProgrammePage.objects.get(path=self.path[: -self.steplen])

    def pass_mark_for(self, programme):
        """The pass mark (%) of this module's check: its own, or the programme's default."""
        return self.check_pass_mark or programme.pass_mark

    def reflection_prompt_ids(self):
        """The block ids of the reflection prompts in the body; reflections are keyed by them."""
        return {block.id for block in self.body if block.block_type == "reflection"}

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        if parent is None:
            return
        for prerequisite in self.prerequisites.all():
            if prerequisite.pk == self.pk:
                raise ValidationError({"prerequisites": _("A module cannot require itself.")})
            if prerequisite.path[: -self.steplen] != parent.path:
                raise ValidationError(
                    {"prerequisites": _("Prerequisites must be modules of the same programme.")}
                )


def minutes_to_hours(minutes):
    """Express minutes as hours with one decimal place (95 minutes is 1.6 hours)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class CodeOfConductVersion(models.Model):
    """A frozen version of a programme's code of conduct; attestations point at one of these."""

    programme = models.ForeignKey(
        ProgrammePage, on_delete=models.CASCADE, related_name="code_of_conduct_versions"
    )
    version = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="unique_conduct_version")
        ]
        ordering = ["programme", "-version"]

    def __str__(self):
        return f"{self.programme} — code of conduct v{self.version}"

    @classmethod
    def record(cls, programme):
        """Store the programme's code of conduct as a new version if its text changed."""
        latest = cls.objects.filter(programme=programme).order_by("-version").first()
        if latest is None or latest.text != programme.code_of_conduct:
            cls.objects.create(
                programme=programme,
                version=(latest.version + 1) if latest else 1,
                text=programme.code_of_conduct,
            )
            # The programme's cached current version is out of date.
            try:
                del programme.current_code_of_conduct
            except AttributeError:
                pass
