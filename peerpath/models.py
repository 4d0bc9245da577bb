"""Site-wide settings every PeerPath page uses: who runs the site, and where to get urgent help."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField


@register_setting(icon="site")
class OrganisationSettings(BaseSiteSetting):
    """Who runs this PeerPath site; shown in the footer and used as the certificate issuer."""

    name = models.CharField(_("organisation name"), max_length=120, default="PeerPath")
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Where learners can ask about their training.")
    )
    about = models.TextField(_("about"), max_length=500, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("website"),
        FieldPanel("contact_email"),
        FieldPanel("about"),
    ]

    class Meta:
        verbose_name = _("organisation")


class SignpostLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80, help_text=_("e.g. 'Samaritans (24 hours)'"))
    url = blocks.URLBlock(required=False)
    phone = blocks.CharBlock(max_length=40, required=False)
    note = blocks.CharBlock(max_length=120, required=False)

    class Meta:
        icon = "link"


@register_setting(icon="help")
class CrisisSignposting(BaseSiteSetting):
    """Where to get urgent help: shown in the footer of every public and learner page."""

    heading = models.CharField(_("heading"), max_length=80, default=_("Need help now?"))
    text = RichTextField(
        _("text"),
        features=["bold", "link"],
        blank=True,
        default=(
            "<p>PeerPath is a training site, not a crisis service. If you or someone you are "
            "supporting is in immediate danger, call your local emergency number.</p>"
        ),
    )
    links = StreamField(
        [("link", SignpostLinkBlock())], blank=True, verbose_name=_("help lines and links")
    )

    panels = [FieldPanel("heading"), FieldPanel("text"), FieldPanel("links")]

    class Meta:
        verbose_name = _("crisis signposting")
