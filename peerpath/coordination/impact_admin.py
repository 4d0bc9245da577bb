"""The Impact report screens of the People menu: choose an organisation and a period, see the
figures with charts and tables, download them as XLSX or PDF.

Thin: the figures are `impact.py`'s, the documents `impact_documents.py`'s, who may see which
organisation `access.py`'s. The report lives at `<organisation id>/`: another organisation's is a
404, and a period that cannot be reported on is a form error, never a 500.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from peerpath.form_fields import ModelChoiceField

from . import impact, impact_documents
from .access import can_coordinate, coordinated_organisations, organisation_or_404

#: The query parameters that say which period; kept when moving between the page and downloads.
PERIOD_FIELDS = ("period", "anchor", "start", "end")


class PeriodForm(forms.Form):
    """Which period to report on: a month, quarter or year containing a day, or custom dates."""

    period = forms.ChoiceField(
        label=_("Period"), choices=impact.PERIOD_CHOICES, initial=impact.YEAR, required=False
    )
    anchor = forms.DateField(
        label=_("Containing the day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a month, quarter or year. Blank: today."),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For custom dates: the first day."),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For custom dates: the last day (at most three years after the first)."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        kind = cleaned.get("period") or impact.YEAR
        try:
            cleaned["report_period"] = impact.period_for(
                kind, cleaned.get("anchor"), start=cleaned.get("start"), end=cleaned.get("end")
            )
        except impact.PeriodError as error:
            field = "period"
            if kind == impact.CUSTOM:
                field = "end" if cleaned.get("start") else "start"
            self.add_error(field, str(error))
        return cleaned


class ChooseForm(PeriodForm):
    """The period and the organisation: only organisations the user coordinates are offered."""

    organisation = ModelChoiceField(label=_("Organisation"), queryset=None)
    field_order = ["organisation", *PERIOD_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = coordinated_organisations(user)


def period_query(data):
    """The period's query string, from a form's data (only the period's own fields)."""
    return urlencode({name: data[name] for name in PERIOD_FIELDS if data.get(name)})


class CoordinatorMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_coordinate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ChooseView(CoordinatorMixin, WagtailAdminTemplateMixin, TemplateView):
    """Choose an organisation and a period; a coordinator of one organisation goes straight to
    its report."""

    template_name = "coordination/impact/choose.html"
    page_title = _("Impact report")
    header_icon = "doc-full"

    def get(self, request, *args, **kwargs):
        organisations = coordinated_organisations(request.user)
        if "organisation" not in request.GET:
            only = list(organisations[:2])
            if len(only) == 1:
                return redirect(report_url(only[0].pk, request.GET))
            return super().get(request, *args, **kwargs)
        if self.form.is_valid():
            return redirect(report_url(self.form.cleaned_data["organisation"].pk, request.GET))
        return super().get(request, *args, **kwargs)

    @cached_property
    def form(self):
        data = self.request.GET if "organisation" in self.request.GET else None
        return ChooseForm(data, user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": self.form}


def report_url(organisation_id, data, name="report"):
    url = reverse(f"coordination_impact:{name}", args=[organisation_id])
    query = period_query(data)
    return f"{url}?{query}" if query else url


class ReportMixin(CoordinatorMixin):
    """The organisation (404 unless the user coordinates it) and the period from the query."""

    @cached_property
    def organisation(self):
        return organisation_or_404(self.request.user, self.kwargs["organisation_id"])

    @cached_property
    def form(self):
        return ChooseForm(
            {**self.request.GET.dict(), "organisation": self.organisation.pk},
            user=self.request.user,
        )

    @cached_property
    def report(self):
        """The `ImpactReport`, or None while the period's form has errors."""
        if not self.form.is_valid():
            return None
        return impact.impact_report(self.organisation, self.form.cleaned_data["report_period"])


class ReportView(ReportMixin, WagtailAdminTemplateMixin, TemplateView):
    """The report as a page: headline cards with the change since the previous period, the
    charts with their figures in tables beside them, and the downloads."""

    template_name = "coordination/impact/report.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("Impact report: %(organisation)s") % {"organisation": self.organisation.name}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("coordination_impact:index"), "label": _("Impact report")},
            {"url": "", "label": self.organisation.name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, organisation=self.organisation)
        if self.report is not None:
            context.update(impact_documents.report_context(self.report))
            context.update(
                xlsx_url=report_url(self.organisation.pk, self.request.GET, "xlsx"),
                pdf_url=report_url(self.organisation.pk, self.request.GET, "pdf"),
                choose_url=reverse("coordination_impact:index"),
            )
        return context


class DownloadView(ReportMixin, View):
    """The report as a file; with a period that cannot be used, back to the page, which says
    why."""

    content_type = ""
    extension = ""

    def get(self, request, *args, **kwargs):
        if self.report is None:
            return redirect(report_url(self.organisation.pk, request.GET))
        response = HttpResponse(self.render(self.report), content_type=self.content_type)
        name = impact_documents.filename(self.report, self.extension)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class XlsxView(DownloadView):
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def render(self, report):
        return impact_documents.workbook_bytes(report)


class PdfView(DownloadView):
    content_type = "application/pdf"
    extension = "pdf"

    def render(self, report):
        return impact_documents.pdf_bytes(report)


class ImpactViewSet(ViewSet):
    """The impact report's screens, at /admin/coordination/impact/."""

    name = "coordination_impact"
    url_prefix = "coordination/impact"
    icon = "doc-full"

    def get_urlpatterns(self):
        return [
            path("", ChooseView.as_view(), name="index"),
            path("<int:organisation_id>/", ReportView.as_view(), name="report"),
            path("<int:organisation_id>/xlsx/", XlsxView.as_view(), name="xlsx"),
            path("<int:organisation_id>/pdf/", PdfView.as_view(), name="pdf"),
        ]


@hooks.register("register_admin_viewset")
def register_impact_viewset():
    return ImpactViewSet()


@hooks.register("register_coordination_menu_item")
def impact_menu_item():
    return MenuItem(
        _("Impact report"),
        reverse("coordination_impact:index"),
        name="impact",
        icon_name="doc-full",
        order=500,
    )
