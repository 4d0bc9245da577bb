"""Organisations and their members.

An `Organisation` is a group or charity on this site with a group per staff role (coordinators,
editors, safeguarding leads: `roles.py`) and two document collections (`setup.py` makes them); the
workshops app gives it an index page of workshops. An `OrganisationMembership` says a learner
belongs to an organisation, so that its staff see the learner's progress and certificates
(`scope.py`).
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection
from wagtail.search import index


def validate_time_zone(value):
    """A name from the IANA time zone database, e.g. 'Europe/London'."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name."), params={"value": value})


class OrganisationQuerySet(models.QuerySet):
    def owner_of(self, document):
        """The organisation `document` belongs to: the one whose collections hold it (the nearest,
        should an administrator nest them), or None for a document filed outside all of them."""
        return (
            self.filter(
                collection__in=Collection.objects.ancestor_of(document.collection, inclusive=True)
            )
            .order_by("-collection__depth")
            .first()
        )


class Organisation(models.Model):
    """A group or charity that publishes workshops on this site, with its own editors.

    Documents filed in its collections belong to it: only its workshops may offer them as
    facilitator material (`peerpath.workshops.documents.can_download_document`,
    `peerpath.workshops.admin_forms.WorkshopPageForm`).
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Used in the address of the organisation's workshops, e.g. 'riverside'."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    about = models.TextField(_("about"), max_length=1000, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/London",
        validators=[validate_time_zone],
        help_text=_(
            "Where its sessions meet, e.g. 'Europe/London': session times are local to it."
        ),
    )
    safeguarding_contact_name = models.CharField(
        _("safeguarding lead"),
        max_length=120,
        help_text=_("The person or role to contact with a safeguarding concern."),
    )
    safeguarding_email = models.EmailField(_("safeguarding e-mail"), blank=True)
    safeguarding_phone = models.CharField(_("safeguarding phone"), max_length=40, blank=True)

    # Set up by `setup.set_up_organisation`, never edited by hand: one group per role (`roles.py`).
    coordinators_group = models.OneToOneField(
        "auth.Group",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="coordinated_organisation",
    )
    safeguarding_group = models.OneToOneField(
        "auth.Group",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="safeguarded_organisation",
    )
    editors_group = models.OneToOneField(
        "auth.Group",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="workshop_organisation",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="workshop_organisation",
    )
    facilitator_collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="facilitator_organisation",
        help_text=_("Documents here are facilitator-only, even before a workshop links to them."),
    )

    objects = OrganisationQuerySet.as_manager()

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(safeguarding_email="", safeguarding_phone=""),
                name="organisation_safeguarding_reachable",
                violation_error_message=_("Give a safeguarding e-mail address or phone number."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.safeguarding_email and not self.safeguarding_phone:
            raise ValidationError(
                {"safeguarding_email": _("Give a safeguarding e-mail address or phone number.")}
            )

    def owns(self, document):
        """True if `document` belongs to this organisation (see `OrganisationQuerySet.owner_of`)."""
        return Organisation.objects.owner_of(document) == self


class OrganisationMembership(models.Model):
    """A learner belongs to an organisation: its staff see the learner's progress and certificates.

    Made by accepting an invitation, by a coordinator or administrator in the admin, or with a
    staff role (`roles.grant`). A learner may belong to several organisations.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    # Edited in the admin through `OrganisationMembershipViewSet` (organisations/wagtail_hooks.py),
    # whose panels choose the learner with a searchable chooser.

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        ordering = ["organisation__name", "-added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_user_and_organisation"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation}"
