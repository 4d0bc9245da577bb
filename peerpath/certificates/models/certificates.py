"""What PeerPath issues when a learner completes a programme, and how it looks on paper.

A `CertificateTemplate` is the editable design (wording, signatory, colours, page size). A
`Certificate` is an immutable snapshot taken at issue: the name, credential, hours and issuer printed
on it never change afterwards, whatever happens to the template, the programme or the learner's
profile; so are the terms it was issued on (provisional or full, grace period after expiry). Its
status (provisional, valid, lapsed, expired, suspended, superseded, relinquished, revoked) is
derived from the row's own columns, never stored: `certificates.status` states the rule once and
`CertificateQuerySet.with_status()` annotates it. Every rule about issuing lives in
`certificates/issuing.py`; these models only store the outcome. `CertificateLogEntry` is the
audit trail, kept apart from Wagtail's generic log so that it can be scoped by organisation.
"""

import datetime
import string
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin
from wagtail.search import index

from peerpath.accounts.models import Profile, initials

from ..codes import format_code
from ..design import (
    DEFAULT_WORDING,
    PLACEHOLDERS,
    Orientation,
    PageSize,
    design_snapshot,
    issuer_for,
)
from ..log_entries import CertificateLogEntry, CertificateLogEntryManager
from ..pdf import render_pdf
from ..status import CertificateStatus, status_case, status_conditions


class CertificateTemplate(PreviewableMixin, index.Indexed, models.Model):
    """The design of printed certificates: wording, signatory, logo, accent colour, page set-up.

    Programmes choose a template; programmes that do not use the default one (`default()`), which
    is created on first use so that a new site issues good-looking certificates with no set-up.
    """

    PageSize = PageSize
    Orientation = Orientation

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("Only editors see this.")
    )
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used by programmes that do not choose a template."),
    )
    heading = models.CharField(_("heading"), max_length=120, default="Certificate of Completion")
    wording = models.TextField(
        _("wording"),
        max_length=1500,
        default=DEFAULT_WORDING,
        help_text=_(
            "Placeholders: {holder}, {credential}, {programme}, {hours}, {issued}, {expires}, "
            "{issuer}."
        ),
    )
    signatory_name = models.CharField(_("signatory name"), max_length=120, blank=True)
    signatory_role = models.CharField(_("signatory role"), max_length=120, blank=True)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#1d5c63",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #1d5c63."))],
    )
    page_size = models.CharField(
        _("page size"), max_length=10, choices=PageSize.choices, default=PageSize.A4
    )
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    panels = [
        FieldPanel("name"),
        FieldPanel("is_default"),
        MultiFieldPanel(
            [FieldPanel("heading"), FieldPanel("wording")],
            heading=_("Text"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_role")]),
                FieldPanel("signature_image"),
            ],
            heading=_("Signatory"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("accent_colour"),
                FieldRowPanel([FieldPanel("page_size"), FieldPanel("orientation")]),
            ],
            heading=_("Design"),
        ),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_certificate_template",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.is_default:
            # Moving the default flag is one edit for the editor, not two.
            CertificateTemplate.objects.filter(is_default=True).exclude(pk=self.pk).update(
                is_default=False
            )
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        unknown = sorted(
            {
                field
                for _literal, field, _spec, _conv in string.Formatter().parse(self.wording or "")
                if field is not None and field not in PLACEHOLDERS
            }
        )
        if unknown:
            raise ValidationError(
                {
                    "wording": _("Unknown placeholder(s): %(names)s. Use only: %(allowed)s.")
                    % {
                        "names": ", ".join("{" + name + "}" for name in unknown),
                        "allowed": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
                    }
                }
            )

    @classmethod
    def default(cls):
        """The template for programmes that do not choose one, created on first use."""
        template = cls.objects.filter(is_default=True).first()
        if template is None:
            template, _created = cls.objects.get_or_create(
                name="Standard certificate",
                defaults={"is_default": True, "signatory_role": "Training lead"},
            )
        return template

    def fill_wording(self, values):
        """The wording with its placeholders replaced; unknown placeholders are left as written."""

        class Missing(dict):
            def __missing__(self, key):
                return "{" + key + "}"

        try:
            return string.Formatter().vformat(self.wording, (), Missing(values))
        except (ValueError, IndexError):
            # A stray brace should never stop a certificate being issued.
            return self.wording

    def serve_preview(self, request, mode_name):
        """The live preview in the admin: the PDF this template produces for a sample learner."""
        response = HttpResponse(self.preview_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
        # The admin shows previews in an iframe; the site otherwise forbids framing.
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def preview_pdf(self):
        """The PDF this template produces for a sample learner (nothing is saved)."""
        sample = Certificate(
            holder_name="Jamie Okafor",
            credential_name="Peer Support Group Facilitator",
            credential_code="PSGF",
            programme_title="Peer Support Group Facilitator",
            hours=Decimal("6.5"),
            issuer_name=issuer_for(None)[0],
            number=f"PSGF-{timezone.localdate().year}-000042",
            verification_code="7KQ2M9XD4TRAVB3H",
            issued_at=timezone.now(),
            expires_on=timezone.localdate() + datetime.timedelta(days=730),
        )
        sample.design = design_snapshot(self, sample)
        return render_pdf(sample)


class CertificateQuerySet(models.QuerySet):
    """Queries over certificates; `with_status()` is the single definition of status."""

    def with_status(self, today=None):
        """Annotate `annotated_status`, the `CertificateStatus` value on `today` (default:
        today), as `peerpath.certificates.status.status_case` decides it from the row's own columns."""
        return self.annotate(annotated_status=status_case(today))

    def in_status(self, *statuses, today=None):
        """Certificates that have one of `statuses` on `today` (default: today), with status."""
        conditions = status_conditions(today)
        wanted = Q()
        for status in statuses:
            wanted |= conditions[CertificateStatus(status)]
        return self.with_status(today).filter(wanted)

    def valid(self, today=None):
        """Certificates that are valid today (full certificates only)."""
        return self.in_status(CertificateStatus.VALID, today=today)

    def practising(self, today=None):
        """Certificates that let their holder practise today: valid or provisional."""
        return self.in_status(*CertificateStatus.practising(), today=today)


class Certificate(models.Model):
    """A credential issued to a learner: an immutable snapshot taken when it was issued.

    Only the lifecycle fields (`pdf`, `pdf_sha256`, suspension, revocation and relinquishment)
    change after issue. The holder link is nulled if the account is erased; the printed name stays.
    """

    # Wagtail's reference index would list every certificate as a "usage" of its programme and
    # template, and update the index in a second background job for each certificate issued
    # (bench/bulk_issue.py: one job in two). Certificates are records, not content editors manage.
    wagtail_reference_index_ignore = True

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    programme = models.ForeignKey(
        "peerpath_training.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    cycle = models.PositiveIntegerField(
        _("certification cycle"),
        default=1,
        help_text=_("1 for the first certificate for this programme; each renewal adds one."),
    )

    # The snapshot: what was true when the certificate was issued.
    holder_name = models.CharField(_("holder name"), max_length=120)
    credential_name = models.CharField(_("credential"), max_length=120)
    credential_code = models.CharField(_("credential code"), max_length=8)
    programme_title = models.CharField(_("programme title"), max_length=255)
    hours = models.DecimalField(_("training hours"), max_digits=6, decimal_places=1, default=0)
    issuer_name = models.CharField(_("issuer"), max_length=120)
    issuer_url = models.URLField(_("issuer website"), blank=True)
    design = models.JSONField(
        _("design"),
        default=dict,
        blank=True,
        help_text=_("The template's heading, wording and layout as they were at issue."),
    )
    recipient_hash = models.CharField(
        _("recipient identity hash"),
        max_length=80,
        blank=True,
        help_text=_("Open Badges: sha256$ hash of the holder's e-mail with `recipient_salt`."),
    )
    recipient_salt = models.CharField(max_length=32, blank=True)

    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    verification_code = models.CharField(
        _("verification code"),
        max_length=32,
        unique=True,
        help_text=_("Stored upper-case without dashes; shown in groups of four."),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("The first day it is no longer valid. Blank: never expires."),
    )
    is_provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_(
            "Issued for the programme's provisional stage; a full certificate supersedes it once "
            "the stage's requirements are met."
        ),
    )
    grace_ends_on = models.DateField(
        _("grace period ends on"),
        null=True,
        blank=True,
        help_text=_(
            "The first day after the grace period that follows expiry, fixed at issue from the "
            "programme's grace period. Until then an expired certificate is 'lapsed': not valid, "
            "but renewable. Blank: no grace period."
        ),
    )
    superseded_at = models.DateTimeField(
        _("superseded at"),
        null=True,
        blank=True,
        help_text=_(
            "When a renewal, reissue or full certificate replaced this one (the replacement's "
            "time of issue); set by issuing in the transaction that links the replacement."
        ),
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    # Its bits' place in the status lists (`status_list.py`), drawn at random when it is issued.
    status_list_index = models.PositiveIntegerField(
        _("status list index"), null=True, blank=True, unique=True, editable=False
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)

    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), max_length=1000, blank=True)
    relinquished_at = models.DateTimeField(_("relinquished at"), null=True, blank=True)
    # Only the suspension in force is kept here; the audit trail keeps every suspension and
    # reinstatement. The reason is personal data kept so staff know why the holder may not
    # practise and when to reinstate; verifiers never see it.
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suspended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suspension_reason = models.TextField(_("reason for suspension"), max_length=1000, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        permissions = [
            ("verify_certificate", _("Can verify certificates")),
            ("revoke_certificate", _("Can revoke certificates")),
            ("award_certificate", _("Can award certificates on recognition of prior learning")),
        ]
        constraints = [
            # One certificate per learner, programme and certification cycle: two simultaneous
            # completions cannot both insert cycle N.
            models.UniqueConstraint(
                fields=["holder", "programme", "cycle"], name="one_certificate_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(suspended_at__isnull=True) | ~Q(suspension_reason=""),
                name="suspension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(grace_ends_on__isnull=True)
                | Q(expires_on__isnull=False, grace_ends_on__gte=F("expires_on")),
                name="grace_period_follows_expiry",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(supersedes=F("pk")),
                name="certificate_cannot_supersede_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["holder", "programme"]),
            models.Index(fields=["expires_on"]),
            # The status lists read only the certificates with a bit set (status_list.py).
            models.Index(
                fields=["status_list_index"],
                condition=Q(revoked_at__isnull=False)
                | Q(relinquished_at__isnull=False)
                | Q(suspended_at__isnull=False),
                name="certificate_status_bits",
            ),
        ]

    def __str__(self):
        # No holder name: this is also the label of every audit entry about the certificate
        # (Wagtail's log entries), which outlive an erasure and are listed to staff.
        return f"{self.number} — {self.credential_name}"

    def get_absolute_url(self):
        """The public verification page."""
        return reverse("certificates:verify", args=[self.display_code])

    @property
    def status(self):
        """Today's status, from `CertificateQuerySet.with_status()` (one query if not annotated)."""
        annotated = self.__dict__.get("annotated_status")
        if annotated is None:
            annotated = (
                type(self)
                .objects.with_status()
                .values_list("annotated_status", flat=True)
                .get(pk=self.pk)
            )
            self.annotated_status = annotated
        return CertificateStatus(annotated)

    def refresh_status(self):
        """Forget the cached status after a lifecycle change (and `superseded_at`, which issuing
        writes with an update)."""
        self.__dict__.pop("annotated_status", None)
        # A deferred field: read again from the database if and when it is next used.
        self.__dict__.pop("superseded_at", None)

    @property
    def public_holder_name(self):
        """The name verification pages show: initials only if the holder asked for that.

        A display preference, read live from the profile (the PDF keeps the full name).
        Annotate `holder_initials_only` (the profile's flag) to keep it query-free.
        """
        if "holder_initials_only" in self.__dict__:
            initials_only = bool(self.__dict__["holder_initials_only"])
        else:
            try:
                profile = self.holder.peerpath_profile if self.holder_id else None
            except Profile.DoesNotExist:
                profile = None
            initials_only = profile is not None and profile.show_initials_only
        return initials(self.holder_name) if initials_only else self.holder_name

    @property
    def status_label(self):
        return self.status.label

    @property
    def is_valid(self):
        return self.status == CertificateStatus.VALID

    @property
    def allows_practice(self):
        """True when the holder may practise on this certificate today (valid or provisional)."""
        return self.status in CertificateStatus.practising()

    @property
    def status_date(self):
        """The date that goes with the status: revoked, suspended, expired or relinquished on;
        for a lapsed certificate, the last day it can be renewed; for a provisional one, its last
        day of validity."""
        status = self.status
        if status == CertificateStatus.REVOKED:
            return timezone.localdate(self.revoked_at)
        if status == CertificateStatus.SUSPENDED:
            return timezone.localdate(self.suspended_at)
        if status == CertificateStatus.LAPSED:
            return self.renewal_due_by
        if status == CertificateStatus.PROVISIONAL:
            return self.valid_until
        if status == CertificateStatus.RELINQUISHED:
            return timezone.localdate(self.relinquished_at)
        if status == CertificateStatus.EXPIRED:
            return self.expires_on
        if status == CertificateStatus.SUPERSEDED:
            return timezone.localdate(self.superseded_at)
        return None

    @property
    def valid_until(self):
        """The last day the certificate is valid (the day before `expires_on`), or None."""
        return self.expires_on - datetime.timedelta(days=1) if self.expires_on else None

    @property
    def renewal_due_by(self):
        """The last day of the grace period, or None without one."""
        return self.grace_ends_on - datetime.timedelta(days=1) if self.grace_ends_on else None

    @property
    def display_code(self):
        """The verification code grouped for people: 7KQ2-M9XD-4TRA-VB3H."""
        return format_code(self.verification_code)

    @property
    def issued_on(self):
        return timezone.localdate(self.issued_at)

    def get_pdf_url(self):
        return reverse("certificates:pdf", args=[self.display_code])

    @property
    def pdf_filename(self):
        """A file name people can recognise in their downloads folder."""
        return f"{self.number}-{slugify(self.holder_name) or 'certificate'}.pdf"


class CertificateNumberSequence(models.Model):
    """The last certificate number used per credential code and year (PSGF-2026-000042).

    Incremented under a row lock inside the issuing transaction, so numbers are sequential and
    never reused, even with several web processes issuing at once.
    """

    credential_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credential_code", "year"], name="unique_certificate_sequence"
            )
        ]

    def __str__(self):
        return f"{self.credential_code}-{self.year}: {self.last_number}"


class ExpiryReminder(models.Model):
    """A reminder e-mail sent to a holder N days before their certificate expires. Sent once."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("expiry reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_reminder_per_certificate_and_day"
            )
        ]

    def __str__(self):
        return f"{self.certificate.number}: {self.days_before} days"


__all__ = [
    "Certificate",
    "CertificateLogEntry",
    "CertificateLogEntryManager",
    "CertificateNumberSequence",
    "CertificateQuerySet",
    "CertificateStatus",
    "CertificateTemplate",
    "ExpiryReminder",
]
