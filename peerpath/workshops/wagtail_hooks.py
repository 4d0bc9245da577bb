"""Wagtail admin registration and hooks for workshops."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from peerpath.organisations.models import Organisation

from .admin_views import FacilitationReportView
from .documents import can_download_document
from .models import FacilitationLogEntry, WorkshopIndexPage
from .views import refuse


@hooks.register("before_serve_document")
def protect_facilitator_documents(document, request):
    """Refuse facilitator-only documents to anyone the access rule does not allow."""
    if not can_download_document(request.user, document):
        response = refuse(request, what=_("this facilitator document"))
        response["Cache-Control"] = "private, no-store"
        return response
    return None


@hooks.register("before_delete_page")
def keep_organisation_index_pages(request, page):
    """An organisation's index page holds its editors' permissions; only admins may delete it."""
    if (
        isinstance(page.specific, WorkshopIndexPage)
        and page.specific.organisation_id
        and not request.user.is_superuser
    ):
        messages.error(
            request, _("An organisation's workshop index can only be deleted by an administrator.")
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_delete_snippet")
def keep_organisations_with_workshops(request, instances):
    """An organisation keeps its workshops: its index page must be deleted (by an admin) first."""
    if request.method != "POST":
        return None
    for organisation in instances:
        if not isinstance(organisation, Organisation):
            continue
        index = WorkshopIndexPage.objects.filter(organisation=organisation).first()
        if index is not None:
            messages.error(
                request,
                _(
                    "%(name)s still has its workshop pages. Delete its workshop index page "
                    "first if you really mean to remove them."
                )
                % {"name": organisation},
            )
            return redirect("wagtailadmin_explore", index.pk)
    return None


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/facilitation/",
            FacilitationReportView.as_view(),
            name="workshops_facilitation_report",
        ),
        path(
            "reports/facilitation/results/",
            FacilitationReportView.as_view(results_only=True),
            name="workshops_facilitation_report_results",
        ),
    ]


class FacilitationReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(
            f"{FacilitationLogEntry._meta.app_label}.view_facilitationlogentry"
        )


@hooks.register("register_reports_menu_item")
def register_facilitation_report_menu_item():
    return FacilitationReportMenuItem(
        _("Facilitation log"),
        reverse("workshops_facilitation_report"),
        name="facilitation-log",
        icon_name="time",
        order=800,
    )
