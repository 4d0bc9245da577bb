"""Wagtail admin registration and hooks for workshops."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .access import can_download_document
from .admin_views import (
    FacilitationReportView,
    LearnerChooserViewSet,
    OrganisationCreateView,
    OrganisationDeleteView,
    OrganisationEditView,
)
from .models import (
    FacilitationLogEntry,
    Organisation,
    OrganisationMembership,
    WorkshopIndexPage,
)
from .views import refuse


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "slug", "website", "safeguarding_contact_name"]
    search_fields = ["name"]
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView
    delete_view_class = OrganisationDeleteView


register_snippet(OrganisationViewSet)


learner_chooser_viewset = LearnerChooserViewSet("learner_chooser", url_prefix="learner-chooser")


@hooks.register("register_admin_viewset")
def register_learner_chooser():
    return learner_chooser_viewset


class OrganisationMembershipViewSet(SnippetViewSet):
    """Which organisation each learner belongs to: its staff see their progress and certificates."""

    model = OrganisationMembership
    icon = "user"
    menu_label = _("Organisation members")
    add_to_admin_menu = False
    list_display = ["user", "organisation", "added_at"]
    list_filter = ["organisation"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    # A searchable chooser: a select of every account would not load with thousands of learners.
    panels = [
        FieldPanel("user", widget=learner_chooser_viewset.widget_class),
        FieldPanel("organisation"),
    ]


register_snippet(OrganisationMembershipViewSet)


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
