"""Issuers whose Open Badges 3.0 credentials this site may check over the network.

Checking a credential from another PeerPath site means fetching that site's public keys and
status lists. Nothing is fetched from a host an administrator has not allowed here
(`credential_check.py`), so a pasted credential can never make the site call an arbitrary
address.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.certificates.hosts import normalise_host
from peerpath.certificates.links import own_host


class TrustedIssuerHost(models.Model):
    host = models.CharField(
        _("host"),
        max_length=253,
        unique=True,
        help_text=_(
            "The issuing site's host name, e.g. certificates.example.org. Keys and status lists "
            "are fetched from it over HTTPS only."
        ),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Who runs it, and why you trust it.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trusted credential issuer")
        verbose_name_plural = _("trusted credential issuers")
        ordering = ["host"]

    def __str__(self):
        return self.host

    def clean(self):
        host = normalise_host(self.host)
        if host is None:
            raise ValidationError(
                {"host": _("Enter a host name such as certificates.example.org (no https://).")}
            )
        if host == own_host():
            raise ValidationError(
                {"host": _("This is this site's own address: its credentials are checked here.")}
            )
        self.host = host
