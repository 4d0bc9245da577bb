"""Admin screens for workshops: the facilitation report."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from peerpath.spreadsheets import FormulaSafeExportMixin

from . import logbook
from .models import FacilitationLogEntry


class FacilitationReportView(FormulaSafeExportMixin, ReportView):
    """Sessions, hours and participants per facilitator, with how many sessions are confirmed
    (what certification counts) and self-reported. Private notes never appear here.
    Organisation staff see their own organisations' learners only."""

    page_title = _("Facilitation log")
    header_icon = "time"
    index_url_name = "workshops_facilitation_report"
    index_results_url_name = "workshops_facilitation_report_results"
    permission_policy = ModelPermissionPolicy(FacilitationLogEntry)
    permission_required = "view"
    columns = [
        Column("facilitator", label=_("Facilitator"), accessor="get_full_name"),
        Column("email", label=_("E-mail")),
        Column("sessions", label=_("Sessions")),
        Column("confirmed_sessions", label=_("Confirmed sessions")),
        Column("self_reported_sessions", label=_("Self-reported sessions")),
        Column("hours", label=_("Hours"), accessor="hours"),
        Column("participants", label=_("Participants")),
        DateColumn("last_session", label=_("Last session")),
    ]
    list_export = [
        "get_full_name",
        "email",
        "sessions",
        "confirmed_sessions",
        "self_reported_sessions",
        "minutes",
        "participants",
        "last_session",
    ]
    export_headings = {
        "get_full_name": _("Facilitator"),
        "email": _("E-mail"),
        "sessions": _("Sessions"),
        "confirmed_sessions": _("Confirmed sessions"),
        "self_reported_sessions": _("Self-reported sessions"),
        "minutes": _("Minutes"),
        "participants": _("Participants"),
        "last_session": _("Last session"),
    }

    def get_queryset(self):
        return logbook.facilitator_totals(self.request.user)

    def decorate_paginated_queryset(self, object_list):
        for facilitator in object_list:
            facilitator.hours = round((facilitator.minutes or 0) / 60, 1)
        return object_list
