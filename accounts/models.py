"""What PeerPath keeps about a person beyond Django's user: the name for certificates, which
e-mail address they confirmed, and their consent to the privacy notice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """One per user. `certificate_name` is printed on certificates issued from now on.

    Issued certificates keep the name they were issued with; editing it here never changes them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peerpath_profile"
    )
    certificate_name = models.CharField(
        _("name on certificates"),
        max_length=120,
        help_text=_("Your name exactly as it should appear on your certificates."),
    )
    show_initials_only = models.BooleanField(
        _("show only my initials on public certificate pages"),
        default=False,
        help_text=_(
            "Anyone checking your certificate then sees e.g. 'J. L.' instead of your full name. "
            "The PDF itself still shows your full name."
        ),
    )
    # Certificates are issued only to an address its owner has confirmed. Storing the address
    # confirmed (not a flag) means any change of the user's e-mail, wherever it is made, leaves
    # the new address unconfirmed until its owner opens the link sent to it.
    verified_email = models.EmailField(_("confirmed e-mail address"), max_length=254, blank=True)
    email_verified_at = models.DateTimeField(
        _("e-mail address confirmed at"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")
        permissions = [("erase_personal_data", _("Can erase a learner's personal data on request"))]

    def __str__(self):
        return self.certificate_name


def initials(name):
    """'Jordan Lee' → 'J. L.': what verification pages show for holders who asked for it."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part)


def certificate_name_for(user):
    """The name to print on a certificate for `user`, falling back to their account name."""
    profile = getattr(user, "peerpath_profile", None)
    try:
        if profile and profile.certificate_name:
            return profile.certificate_name
    except Profile.DoesNotExist:
        pass
    return user.get_full_name() or user.get_username()


class Consent(models.Model):
    """The learner agreed to the processing of their training data under a privacy-notice version.

    Kept so we can show when and to which wording each person agreed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_consents"
    )
    notice_version = models.PositiveIntegerField()
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "notice_version"], name="unique_consent_version"
            )
        ]

    def __str__(self):
        return f"{self.user} consented to privacy notice v{self.notice_version}"
