"""What PeerPath keeps about a person beyond Django's user: the name for certificates, which
e-mail address they confirmed, their consent to the privacy notice, and the audit trail of the
account (`AccountLogEntry`)."""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry

from peerpath.scope import LearnerLogEntryManager


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


def account_log_label(account_id):
    """How the audit trail names an account: by id, never by its username (the e-mail address)."""
    return f"Account {account_id}"


USER_APP_LABEL, USER_MODEL_NAME = settings.AUTH_USER_MODEL.split(".")


class AccountLogEntryManager(LearnerLogEntryManager):
    """Log entries about accounts: the Site history report shows staff who may manage accounts
    only the entries about their organisations' learners (`peerpath.scope`).

    The permission is "change", not "view": Wagtail's user admin offers add, change and delete
    for users, so "change" is what the people who manage accounts hold."""

    learner_field = "account"
    view_permission = f"{USER_APP_LABEL}.change_{USER_MODEL_NAME.lower()}"

    def get_instance_title(self, instance):
        return account_log_label(instance.pk)

    def log_action(self, instance, action, **kwargs):
        kwargs.update(account=instance)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(account_id=instance.pk)


class AccountLogEntry(BaseLogEntry):
    """The audit trail of one account: created, edited, deleted in Wagtail's user admin, or its
    personal data erased on request (`peerpath.account_erased`); by whom and when. Registered
    with Wagtail's log action registry for the user model (`accounts.wagtail_hooks`), so these
    entries show in the Site history report, scoped by organisation. Labels name the account by
    id, not by username, which is the e-mail address. Entries outlive a deleted account."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = AccountLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("account log entry")
        verbose_name_plural = _("account log entries")

    def __str__(self):
        return f"AccountLogEntry {self.pk}: '{self.action}' on account {self.account_id}"

    @cached_property
    def object_id(self):
        return self.account_id
