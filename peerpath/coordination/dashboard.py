"""The coordinator's admin home panel: "<Organisation> at a glance", which takes the place of the
site-wide "Certification at a glance" for a coordinator.

For each organisation the user coordinates (up to `MAX_PANELS`): the impact report's headline
figures for the last twelve months, a small chart of sessions per month, and the members who
need attention (certificates expiring within the renewal window, or lapsed), named, since this is
a staff view; participants are only ever counted. Superusers keep the site-wide panel: they see
every organisation, and a panel each would bury the home page (the impact report covers them).
"""

from urllib.parse import urlencode

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from peerpath.certificates.reports import LearnerState
from peerpath.certificates.status import RENEWAL_WINDOW_DAYS

from . import charts, impact
from .access import coordinated_organisations

#: Panels shown at most, for someone who coordinates several organisations.
MAX_PANELS = 3
#: The panel Wagtail's home page shows for certification (certificates/dashboard.py).
CERTIFICATION_PANEL = "certification"
#: The headline figures the panel shows, from `ImpactReport.headlines()`.
PANEL_FIGURES = ("sessions", "attendances", "facilitators_active", "certified", "completions")


def people_url(organisation, state):
    """The People list of the organisation, filtered to one certification state."""
    query = urlencode({"organisation": organisation.pk, "state": state})
    return f"{reverse('coordination_people:index')}?{query}"


class CoordinatorPanel(Component):
    """One organisation at a glance, for its coordinator."""

    name = "coordination"
    order = 90
    template_name = "coordination/dashboard_panel.html"

    class Media:
        css = {"all": ["coordination/impact.css"]}

    def __init__(self, organisation, today=None):
        self.organisation = organisation
        self.today = today

    def get_context_data(self, parent_context=None):
        report = impact.impact_report(
            self.organisation, impact.last_twelve_months(self.today), compare=False
        )
        attention, attention_count = impact.needing_attention(self.organisation, self.today)
        return {
            "organisation": self.organisation,
            "period": report.period,
            "figures": [h for h in report.headlines() if h.key in PANEL_FIGURES],
            "chart": charts.sessions_sparkline(report),
            "attention": attention,
            "attention_count": attention_count,
            "renewal_window_days": RENEWAL_WINDOW_DAYS,
            "expiring_url": people_url(self.organisation, LearnerState.EXPIRING),
            "lapsed_url": people_url(self.organisation, LearnerState.LAPSED),
            "report_url": reverse("coordination_impact:report", args=[self.organisation.pk]),
            "heading_id": f"coordination-panel-{self.organisation.pk}",
        }


def coordinator_panels(user, today=None):
    """The panels for `user`: one per organisation they coordinate (up to `MAX_PANELS`), none
    for superusers or anyone who coordinates nothing."""
    if user.is_superuser or not (user.is_authenticated and user.is_active):
        return []
    return [
        CoordinatorPanel(organisation, today)
        for organisation in coordinated_organisations(user)[:MAX_PANELS]
    ]


# Registered after the certificates app's hook (a higher order runs later), so that panel is
# already in the list to be replaced.
@hooks.register("construct_homepage_panels", order=100)
def replace_certification_panel(request, panels):
    own = coordinator_panels(request.user)
    if own:
        panels[:] = [panel for panel in panels if getattr(panel, "name", "") != CERTIFICATION_PANEL]
        panels.extend(own)
