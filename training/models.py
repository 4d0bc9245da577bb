"""How a training programme is built and what PeerPath records as learners work through it.

A `TrainingIndexPage` lists `ProgrammePage`s; each programme leads to a credential and holds
`ModulePage`s. Learners `Enrolment` in a programme; `ModuleProgress` is their per-module summary row,
`CheckAttempt` one row per submitted knowledge check, `Reflection` their private answers, and
`Attestation` their agreement to a version of the programme's code of conduct. Every rule about
progress lives in `training/progress.py`; these models only store it.

Programmes with a provisional stage list `ProgrammeRequirement`s for full certification, e.g.
supervised practice hours: learners log `SupervisedPracticeEntry`s that the supervisor assigned to
them (`SupervisorAssignment`) signs off or sends back (rules in `training/practice.py`).
"""

import functools
from decimal import ROUND_HALF_UP, Decimal
from http import HTTPMethod
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from peerpath.storage import PrivateFileSystemStorage

from .blocks import ModuleBodyBlock, QuestionBlock

PERCENT = [MinValueValidator(1), MaxValueValidator(100)]


class TrainingIndexPage(Page):
    """The list of training programmes a site offers."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    subpage_types = ["training.ProgrammePage"]
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]

    class Meta:
        verbose_name = _("training index page")

    def programmes(self):
        """The live programmes listed here, in the order editors arranged them."""
        return ProgrammePage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from . import progress

        context = super().get_context(request, *args, **kwargs)
        programmes = list(self.programmes())
        overviews = progress.overviews_for_programmes(request.user, programmes)
        context["overviews"] = [overviews[programme.pk] for programme in programmes]
        return context


class ProgrammePage(Page):
    """A course that leads to a credential, e.g. "Peer Support Group Facilitator"."""

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
        "certificates.CertificateTemplate",
        verbose_name=_("certificate template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
        help_text=_("Leave blank to use the site's default certificate design."),
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
        FieldPanel("code_of_conduct"),
    ]

    parent_page_types = ["training.TrainingIndexPage"]
    subpage_types = ["training.ModulePage"]
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

    def get_context(self, request, *args, **kwargs):
        from . import progress, requirements

        context = super().get_context(request, *args, **kwargs)
        overview = progress.programme_overview(request.user, self)
        context["overview"] = overview
        rules = {stage: [] for stage in ProgrammeRequirement.Stage.values}
        for requirement in self.requirements.select_related("category").order_by("sort_order"):
            rules[requirement.stage].append(requirement)
        context["certification_rules"] = rules
        if rules[ProgrammeRequirement.Stage.FULL] and overview.is_enrolled:
            context["full_certification_progress"] = requirements.measure(
                request.user.pk, self.pk, rules[ProgrammeRequirement.Stage.FULL]
            )
        return context


class ModulePage(Page):
    """One unit of a programme: a body to study and, optionally, a knowledge check to pass."""

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
        "training.ContinuingEducationCategory",
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

    parent_page_types = ["training.ProgrammePage"]
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

    def get_context(self, request, *args, **kwargs):
        from peerpath.access import skip_page_permissions_for_learners
        from peerpath.fragments import rendered_blocks

        from . import progress

        skip_page_permissions_for_learners(request.user)
        context = super().get_context(request, *args, **kwargs)
        context.update(progress.module_page_context(request, self))
        # The body's HTML is shared by every learner; reflections hold their own answers, so the
        # template renders those for each request.
        rendered = rendered_blocks(request, self, "body", personal_block_types={"reflection"})
        context["body_items"] = [
            (block, reflection, html)
            for (block, reflection), (_block, html) in zip(
                context["body_items"], rendered, strict=True
            )
        ]
        return context

    def serve(self, request, *args, **kwargs):
        from . import progress

        request.is_preview = False
        context = self.get_context(request, *args, **kwargs)
        study = context["study"]
        if study.should_record_start:
            study.progress = progress.record_module_started(request.user, self)
        return TemplateResponse(request, self.get_template(request, *args, **kwargs), context)

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
            programme.__dict__.pop("current_code_of_conduct", None)


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
    # restart once it ran out (`training.progress.restart`).
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
        SESSIONS = "sessions", _("Sessions facilitated (from the facilitation log)")
        CE_HOURS = "ce_hours", _("Continuing-education hours")

    class Stage(models.TextChoices):
        FULL = "full", _("For full certification")
        RENEWAL = "renewal", _("For each renewal")

    class SessionRole(models.TextChoices):
        ANY = "any", _("Led or co-facilitated")
        LED = "led", _("Led without a co-facilitator")
        CO_FACILITATED = "co_facilitated", _("Co-facilitated with another facilitator")

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
        """ "led without a co-facilitator", "co-facilitated with another facilitator" or
        "facilitated"."""
        return {
            self.SessionRole.LED: _("led without a co-facilitator"),
            self.SessionRole.CO_FACILITATED: _("co-facilitated with another facilitator"),
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
            return ngettext(
                "%(n)s session %(what)s, recorded in your facilitation log",
                "%(n)s sessions %(what)s, recorded in your facilitation log",
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
        if self._stored_status() == self.Status.SIGNED_OFF:
            raise SignedOffEntryError(_("A signed-off entry cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() == self.Status.SIGNED_OFF:
            raise SignedOffEntryError(_("A signed-off entry cannot be deleted."))
        return super().delete(*args, **kwargs)

    def _stored_status(self):
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()


def evidence_upload_to(instance, filename):
    """Evidence files get an unguessable name; the learner's file name is kept on the row."""
    import os
    import secrets

    extension = os.path.splitext(filename)[1].lower()[:8]
    return f"evidence/{instance.learner_id}/{secrets.token_hex(16)}{extension}"


def private_storage():
    """Storage for files only their owner may download (served by a view, never by URL).

    `STORAGES["private"]` when the site configures it; otherwise a folder beside MEDIA_ROOT
    (`PRIVATE_MEDIA_ROOT` if set), never under it, so that no web server serves it by mistake.
    """
    from django.core.files.storage import InvalidStorageError, storages

    try:
        return storages["private"]
    except InvalidStorageError:
        return _fallback_private_storage()


@functools.cache
def _fallback_private_storage():
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (
        Path(settings.MEDIA_ROOT or ".").resolve().parent / "private-media"
    )
    return PrivateFileSystemStorage(location=root)


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
