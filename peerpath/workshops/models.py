"""What organisations publish and what facilitators record.

An `organisations.Organisation` owns one `WorkshopIndexPage` (its workshops); `organisation_pages.py`
makes it when the organisation is set up (`organisations.setup`). Every organisation's index page sits below the
site-wide `WorkshopLibraryPage`, which lists workshops across organisations. A `WorkshopPage` has
public parts (what participants see) and facilitator-only parts (facilitator notes, the safety and
crisis protocol, facilitator materials); who may see the latter is decided in `access.py` alone.
`FacilitationLogEntry` is one session a facilitator ran.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from peerpath.organisations.models import Organisation

from .access import can_see_facilitator_material
from .admin_forms import WorkshopPageForm
from .blocks import SessionPlanBlock
from .choices import Audience, Confirmation, Format, LogRole
from .listing import browse

MAX_SESSION_MINUTES = 12 * 60
MAX_GROUP_SIZE = 200
#: What a session should include, when a workshop gives no fidelity checklist of its own.
DEFAULT_FIDELITY_CHECKS = (
    _("Group agreements read at the start"),
    _("A check-out round at the end"),
    _("Resources and signposting shared"),
)
#: The Wagtail hook through which other apps add sections to a workshop's page.
WORKSHOP_PAGE_PANELS_HOOK = "peerpath_workshop_page_panels"


class WorkshopListingMixin:
    """Shared by both listing pages: filters, search and pagination come from `listing.py`."""

    def visible_workshops(self):
        """Live, unrestricted workshops below this page, in title order."""
        return (
            WorkshopPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("programme")
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(browse(self, request))
        return context


class WorkshopLibraryPage(WorkshopListingMixin, Page):
    """The site-wide listing of workshops across every organisation."""

    # Templates keep their folder name, not the app label (peerpath_…).
    template = "workshops/workshop_library_page.html"

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    subpage_types = ["peerpath_workshops.WorkshopIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("workshop library")

    @property
    def lists_organisations(self):
        return True


class WorkshopIndexPage(WorkshopListingMixin, Page):
    """One organisation's workshops. Created with the organisation, never by hand."""

    # Templates keep their folder name, not the app label (peerpath_…).
    template = "workshops/workshop_index_page.html"

    organisation = models.OneToOneField(
        Organisation,
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="index_page",
    )
    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["peerpath_workshops.WorkshopLibraryPage"]
    subpage_types = ["peerpath_workshops.WorkshopPage"]
    # Editors' permissions hang off this page, so only `organisation_pages.py` may create one.
    is_creatable = False

    class Meta:
        verbose_name = _("organisation's workshop index")

    @property
    def lists_organisations(self):
        return False


class WorkshopPage(Page):
    """A workshop or group an organisation runs, with public and facilitator-only parts."""

    # Templates keep their folder name, not the app label (peerpath_…).
    template = "workshops/workshop_page.html"

    Format = Format
    Audience = Audience

    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences for listings.")
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(5), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    group_size_min = models.PositiveSmallIntegerField(
        _("smallest group"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_GROUP_SIZE)],
    )
    group_size_max = models.PositiveSmallIntegerField(
        _("largest group"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_GROUP_SIZE)],
    )
    objectives = StreamField(
        [("objective", blocks.CharBlock(max_length=300, icon="tick"))],
        blank=True,
        verbose_name=_("objectives"),
    )
    content_notes = models.TextField(
        _("content notes"),
        max_length=600,
        blank=True,
        help_text=_("Topics that may be difficult, shown before anything else on the page."),
    )
    session_plan = StreamField(SessionPlanBlock(), blank=True, verbose_name=_("session plan"))
    group_agreements = StreamField(
        [("agreement", blocks.CharBlock(max_length=300, icon="group"))],
        blank=True,
        verbose_name=_("group agreements"),
    )
    fidelity_checklist = StreamField(
        [("check", blocks.CharBlock(max_length=200, icon="tick"))],
        blank=True,
        verbose_name=_("fidelity checklist"),
        help_text=_(
            "What a session of this workshop should include, ticked by the lead facilitator in "
            "each debrief. Leave empty for the usual three: agreements read, a check-out round, "
            "resources shared."
        ),
    )
    safety_protocol = RichTextField(
        _("safety and crisis protocol"),
        features=["h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_(
            "What facilitators do if someone is at risk. Required to publish; shown only to "
            "certified facilitators and the organisation's editors."
        ),
    )
    # SET_NULL rather than PROTECT: deleting a programme must not be blocked by every workshop that
    # names it, and a workshop without a programme fails closed (only editors see the protected parts).
    programme = models.ForeignKey(
        "peerpath_training.ProgrammePage",
        verbose_name=_("required programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
        help_text=_(
            "A valid certificate for this programme unlocks the facilitator-only parts. "
            "Required to publish."
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.FilterField("format"),
        index.FilterField("audience"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("content_notes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("format"), FieldPanel("audience")]),
                FieldPanel("duration_minutes"),
                FieldRowPanel([FieldPanel("group_size_min"), FieldPanel("group_size_max")]),
            ],
            heading=_("Format"),
        ),
        FieldPanel("objectives"),
        FieldPanel("session_plan"),
        FieldPanel("group_agreements"),
        InlinePanel(
            "participant_materials", heading=_("Participant materials"), label=_("Document")
        ),
        MultiFieldPanel(
            [
                FieldPanel("programme"),
                FieldPanel("safety_protocol"),
                FieldPanel("fidelity_checklist"),
                InlinePanel(
                    "facilitator_materials",
                    heading=_("Facilitator materials"),
                    label=_("Document"),
                ),
            ],
            heading=_("Facilitator-only"),
        ),
    ]

    base_form_class = WorkshopPageForm
    parent_page_types = ["peerpath_workshops.WorkshopIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("workshop")
        constraints = [
            models.CheckConstraint(
                condition=Q(group_size_min__gte=1, group_size_max__gte=F("group_size_min")),
                name="workshop_group_size_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=MAX_SESSION_MINUTES),
                name="workshop_duration_range",
            ),
        ]

    def clean(self):
        super().clean()
        if (
            self.group_size_min
            and self.group_size_max
            and self.group_size_max < self.group_size_min
        ):
            raise ValidationError(
                {"group_size_max": _("The largest group cannot be smaller than the smallest.")}
            )

    @property
    def fidelity_checks(self):
        """What the lead facilitator ticks in a debrief: this workshop's checklist, or the usual
        three (`DEFAULT_FIDELITY_CHECKS`) when it has none."""
        checks = [str(block.value) for block in self.fidelity_checklist]
        return checks or [str(check) for check in DEFAULT_FIDELITY_CHECKS]

    @property
    def session_plan_minutes(self):
        """The sum of the session plan's step minutes, to compare with the stated duration."""
        return sum(block.value["minutes"] or 0 for block in self.session_plan)

    @property
    def session_plan_overrun(self):
        """Minutes by which the session plan exceeds the stated duration (0 if it fits)."""
        return max(0, self.session_plan_minutes - self.duration_minutes)

    @property
    def session_plan_spare(self):
        """Minutes of the stated duration the session plan leaves unplanned (0 if none)."""
        return max(0, self.duration_minutes - self.session_plan_minutes)

    @cached_property
    def organisation(self):
        """The organisation whose index page this workshop sits under (None outside one)."""
        index_page = (
            WorkshopIndexPage.objects.filter(path=self.path[: -self.steplen])
            .select_related("organisation")
            .first()
        )
        return index_page.organisation if index_page else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["can_facilitate"] = can_see_facilitator_material(request.user, self)
        context["organisation"] = self.organisation
        context["participant_materials"] = self.participant_materials.select_related("document")
        if context["can_facilitate"]:
            context["facilitator_materials"] = self.facilitator_materials.select_related("document")
        context["extra_panels"] = self.extra_panels(request)
        return context

    def extra_panels(self, request):
        """Sections other apps add to this page, as (template name, context) pairs.

        Apps above workshops (sessions, for its upcoming dates) register a function with the
        `peerpath_workshop_page_panels` hook: it is called with the page and the request and
        returns a pair, or None to add nothing. Workshops never import them.
        """
        panels = []
        for panel_for in hooks.get_hooks(WORKSHOP_PAGE_PANELS_HOOK):
            panel = panel_for(self, request)
            if panel is not None:
                panels.append(panel)
        return panels


class WorkshopMaterial(Orderable):
    """A document attached to a workshop."""

    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("e.g. 'Print one per participant'.")
    )

    panels = [FieldPanel("document"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        abstract = True


class ParticipantMaterial(WorkshopMaterial):
    """A handout or worksheet anyone may download."""

    page = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="participant_materials")

    class Meta(WorkshopMaterial.Meta):
        verbose_name = _("participant material")

    def __str__(self):
        return self.document.title

    def clean(self):
        super().clean()
        if (
            self.document_id
            and Organisation.objects.filter(
                facilitator_collection_id=self.document.collection_id
            ).exists()
        ):
            raise ValidationError(
                {
                    "document": _(
                        "This document is filed as facilitator-only, so participants could not "
                        "open it. Move it to another collection or list it as facilitator material."
                    )
                }
            )


class FacilitatorMaterial(WorkshopMaterial):
    """A document only those allowed by `access.can_see_facilitator_material` may download."""

    page = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="facilitator_materials")

    class Meta(WorkshopMaterial.Meta):
        verbose_name = _("facilitator material")

    def __str__(self):
        return self.document.title


class FacilitationLogEntry(models.Model):
    """One session a facilitator ran. The notes are private to the facilitator.

    An entry is either self-reported (the facilitator recorded a session run outside PeerPath, or
    before it kept sessions) or made from a completed PeerPath session with its debrief, when it
    awaits confirmation by a co-facilitator or the organisation's staff (`meetings.record`).
    Certification requirements count confirmed entries, and self-reported ones only where the
    programme allows (`requirements.py`).
    """

    Confirmation = Confirmation
    Role = LogRole

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.CASCADE,
        related_name="facilitation_log",
    )
    # Hours count towards renewal, so a deleted workshop must not take its log entries with it.
    workshop = models.ForeignKey(
        WorkshopPage,
        verbose_name=_("workshop"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="log_entries",
    )
    workshop_title = models.CharField(_("workshop title"), max_length=255, editable=False)
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    participants = models.PositiveSmallIntegerField(
        _("participants"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_GROUP_SIZE)],
        help_text=_("How many people took part, not counting facilitators."),
    )
    co_facilitator = models.CharField(_("co-facilitator"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=LogRole.choices, default=LogRole.LEAD)
    confirmation = models.CharField(
        _("confirmation"),
        max_length=20,
        choices=Confirmation.choices,
        default=Confirmation.SELF_REPORTED,
        editable=False,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    query_note = models.CharField(_("query"), max_length=500, blank=True, editable=False)
    notes = models.TextField(
        _("private notes"),
        max_length=4000,
        blank=True,
        help_text=_("Only you can read these. Do not record anything that identifies anyone."),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("facilitation log entry")
        verbose_name_plural = _("facilitation log entries")
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_SESSION_MINUTES),
                name="log_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=1, participants__lte=MAX_GROUP_SIZE),
                name="log_participants_range",
            ),
        ]
        indexes = [models.Index(fields=["facilitator", "-date"])]

    def __str__(self):
        return f"{self.workshop_title} — {self.date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.workshop_id and not self.workshop_title:
            self.workshop_title = self.workshop.title
        super().save(*args, **kwargs)

    @property
    def is_self_reported(self):
        return self.confirmation == Confirmation.SELF_REPORTED

    @property
    def is_confirmed(self):
        return self.confirmation == Confirmation.CONFIRMED

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("The date cannot be in the future.")})
