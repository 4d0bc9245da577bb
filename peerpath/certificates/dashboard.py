"""The admin home panel: certification at a glance, each number linking to its filtered list."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .reports import LearnerState, dashboard_counts
from .status import RENEWAL_WINDOW_DAYS


class CertificationPanel(Component):
    name = "certification"
    order = 90
    template_name = "certificates/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        counts = dashboard_counts(self.user)
        certificates = reverse("certificates_admin:index")
        progress = reverse("certificates_admin:progress")

        def link(base, **params):
            return f"{base}?{urlencode(params)}"

        items = [
            (
                "in_training",
                _("Learners in training"),
                link(progress, state=LearnerState.IN_PROGRESS),
            ),
            ("certified", _("Certified"), link(certificates, status="valid")),
            (
                "expiring",
                _("Expiring within %(days)d days") % {"days": RENEWAL_WINDOW_DAYS},
                link(certificates, status="valid", expiring_within=RENEWAL_WINDOW_DAYS),
            ),
            ("provisional", _("Provisional"), link(certificates, status="provisional")),
            ("lapsed", _("Lapsed (renewal due)"), link(certificates, status="lapsed")),
            ("expired", _("Expired"), link(certificates, status="expired")),
            ("suspended", _("Suspended"), link(certificates, status="suspended")),
            ("revoked", _("Revoked"), link(certificates, status="revoked")),
        ]
        return {
            "items": [
                {"key": key, "label": label, "url": url, "count": counts[key]}
                for key, label, url in items
            ]
        }
