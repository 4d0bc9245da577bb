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


@register_setting(icon="lock")
class PrivacyNotice(BaseSiteSetting):
    """What PeerPath stores, who sees it and for how long; learners consent to a version of it.

    Changing the text in the admin creates a new version: consents record which one was agreed to.
    """

    text = RichTextField(
        _("privacy notice"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        default=(
            "<h2>What we store</h2><ul>"
            "<li><b>Your name and e-mail address</b>, to run your account and print your "
            "certificates.</li>"
            "<li><b>Your training progress</b>: enrolments, modules completed, knowledge-check "
            "answers and scores, and when you agreed to the code of conduct.</li>"
            "<li><b>Your reflections</b>: only you can read them, not trainers or "
            "administrators.</li>"
            "<li><b>Your certificates</b>: the name, credential and dates printed on them.</li>"
            "</ul><h2>Who sees it</h2><p>Administrators of this site see your progress and "
            "certificates. Anyone with your certificate's code sees the certificate's status, "
            "your name (or initials, if you choose) and its dates — nothing else.</p>"
            "<h2>How long we keep it</h2><p>As long as you have an account. You can download "
            "everything we hold about you, or delete your account, at any time from your "
            "profile.</p>"
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    panels = [FieldPanel("text")]

    class Meta:
        verbose_name = _("privacy notice")

    def save(self, *args, **kwargs):
        if self.pk:
            previous = type(self).objects.filter(pk=self.pk).values_list("text", flat=True).first()
            if previous is not None and previous != self.text:
                self.version += 1
        super().save(*args, **kwargs)
