"""The audit trail of certificates, kept apart from Wagtail's generic log so that it can be
scoped by organisation. Registered with Wagtail's log action registry in `certificates.audit`."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry

from peerpath.scope import LearnerLogEntryManager


class CertificateLogEntryManager(LearnerLogEntryManager):
    """Log entries about certificates: the Site history report shows staff who may view
    certificates only those of their organisations' learners (`peerpath.scope`)."""

    learner_field = "certificate__holder"
    view_permission = "peerpath_certificates.view_certificate"

    def log_action(self, instance, action, **kwargs):
        kwargs.update(certificate=instance)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(certificate_id=instance.pk)


class CertificateLogEntry(BaseLogEntry):
    """The audit trail of one certificate: issued, suspended, reinstated, revoked, renewed,
    reissued, confirmed or relinquished; by whom (None: automatically), when and why
    (`data["reason"]`). Registered with Wagtail's log action registry for `Certificate`
    (`peerpath.certificates.audit.register`), so it shows in the certificate's history and in the Site
    history report, scoped by organisation. Labels carry no holder name (`Certificate.__str__`).
    """

    certificate = models.ForeignKey(
        "peerpath_certificates.Certificate",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="log_entries",
    )

    objects = CertificateLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("certificate log entry")
        verbose_name_plural = _("certificate log entries")

    def __str__(self):
        return (
            f"CertificateLogEntry {self.pk}: '{self.action}' on certificate {self.certificate_id}"
        )

    @cached_property
    def object_id(self):
        return self.certificate_id
