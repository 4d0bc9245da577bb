"""Admin screens for workshops: organisation create/edit views and the facilitation report."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView

from . import logbook
from .models import FacilitationLogEntry, WorkshopIndexPage
from .organisations import set_up_organisation


class OrganisationCreateView(CreateView):
    """Creating an organisation also sets up its index page, editors' group and collections."""

    def save_instance(self):
        instance = super().save_instance()
        set_up_organisation(instance)
        return instance


class OrganisationEditView(EditView):
    """Saving an organisation repairs anything missing from its set-up (and renames its group)."""

    def save_instance(self):
        instance = super().save_instance()
        set_up_organisation(instance)
        return instance


class OrganisationDeleteView(DeleteView):
    """An organisation keeps its workshops: its index page must be deleted (by an admin) first."""

    def form_valid(self, form):
        index = WorkshopIndexPage.objects.filter(organisation=self.object).first()
        if index is not None:
            messages.error(
                self.request,
                _(
                    "%(name)s still has its workshop pages. Delete its workshop index page "
                    "first if you really mean to remove them."
                )
                % {"name": self.object},
            )
            return redirect("wagtailadmin_explore", index.pk)
        return super().form_valid(form)


class FacilitationReportView(ReportView):
    """Sessions, hours and participants per facilitator. Private notes never appear here."""

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
        Column("hours", label=_("Hours"), accessor="hours"),
        Column("participants", label=_("Participants")),
        DateColumn("last_session", label=_("Last session")),
    ]
    list_export = ["get_full_name", "email", "sessions", "minutes", "participants", "last_session"]
    export_headings = {
        "get_full_name": _("Facilitator"),
        "email": _("E-mail"),
        "sessions": _("Sessions"),
        "minutes": _("Minutes"),
        "participants": _("Participants"),
        "last_session": _("Last session"),
    }

    def get_queryset(self):
        return logbook.facilitator_totals()

    def decorate_paginated_queryset(self, object_list):
        for facilitator in object_list:
            facilitator.hours = round((facilitator.minutes or 0) / 60, 1)
        return object_list
