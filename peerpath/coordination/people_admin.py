"""The People list (People → People): a coordinator's members, filtered, searched, sorted,
exported, and the two actions on them: remove from the organisation, add to a cohort.

Views stay thin: the list is `people.py`'s, the actions `people.py`'s and `cohorts.py`'s. Every
view asks `access.py`: only coordinators reach them, and another organisation's member or cohort
is a 404.
"""

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from openpyxl import Workbook
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import Echo

from peerpath.certificates.reports import LearnerState
from peerpath.form_fields import ModelChoiceField
from peerpath.spreadsheets import spreadsheet_cell
from peerpath.training.models import ProgrammePage

from . import cohorts as cohort_service
from . import people
from .access import can_coordinate, coordinated_organisations

SORT_CHOICES = [
    ("name", _("Name (A to Z)")),
    ("-name", _("Name (Z to A)")),
    ("-activity", _("Most recent activity")),
    ("activity", _("Least recent activity")),
]


class CoordinatorRequiredMixin:
    """Only people who coordinate an organisation; everyone else is refused."""

    def dispatch(self, request, *args, **kwargs):
        if not can_coordinate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    organisation = ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("All")
    )
    cohort = ModelChoiceField(
        label=_("Cohort"), queryset=None, required=False, empty_label=_("Any")
    )
    programme = ModelChoiceField(
        label=_("Programme"), queryset=None, required=False, empty_label=_("Any")
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any")), *LearnerState.choices], required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = coordinated_organisations(user)
        self.fields["organisation"].queryset = organisations
        self.fields["cohort"].queryset = cohort_service.coordinated_cohorts(user).order_by("name")
        self.fields["programme"].queryset = (
            ProgrammePage.objects.live()
            .filter(organisations__in=organisations)
            .distinct()
            .order_by("title")
        )

    def filters(self):
        """The valid filters (an invalid one is shown as an error and ignored)."""
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) for key in ("organisation", "cohort", "programme", "state", "q")}


class PeopleView(CoordinatorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "coordination/people/index.html"
    page_title = _("People")
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    @cached_property
    def form(self):
        form = PeopleFilterForm(self.request.GET or None, user=self.request.user)
        if form.is_bound:
            form.is_valid()
        return form

    def get_rows(self):
        rows = people.filter_memberships(
            people.memberships(self.request.user), **self.form.filters()
        )
        sort = getattr(self.form, "cleaned_data", {}).get("sort") or "name"
        return people.sort_memberships(rows, sort)

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            return export_response(people.export_rows(self.get_rows()), export)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(self.get_rows(), people.PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop("export", None)
        context.update(
            form=self.form,
            page=page,
            rows=people.decorate(page.object_list),
            query=query.urlencode(),
            cohort_choices=self.form.fields["cohort"].queryset,
            certificates_url=reverse("certificates_admin:index"),
        )
        return context


def export_response(rows, export_format):
    """The People export as CSV (streamed) or XLSX; every cell formula-safe."""
    if export_format == "csv":
        writer = csv.writer(Echo())
        response = StreamingHttpResponse(
            (writer.writerow([spreadsheet_cell(value) for value in row]) for row in rows),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="people.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="People")
    for row in rows:
        sheet.append([spreadsheet_cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="people.xlsx"'
    return response


class RemoveMemberView(CoordinatorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then remove a member from an organisation (POST only changes anything)."""

    template_name = "coordination/people/remove.html"
    page_title = _("Remove from the organisation")
    header_icon = "group"

    @cached_property
    def membership(self):
        return get_object_or_404(
            people.memberships(self.request.user), pk=self.kwargs["membership_id"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.membership
        context.update(
            membership=membership,
            name=membership.user.get_full_name() or membership.user.get_username(),
        )
        return context

    def post(self, request, *args, **kwargs):
        membership = self.membership
        try:
            people.remove_from_organisation(membership)
        except people.MemberError as error:
            messages.error(request, str(error))
            return redirect("coordination_people:remove", membership_id=membership.pk)
        messages.success(
            request,
            _("Removed from %(organisation)s.") % {"organisation": membership.organisation.name},
        )
        return redirect("coordination_people:index")


class AddToCohortView(CoordinatorRequiredMixin, TemplateView):
    """Add the People list's selected members to a cohort of their organisation (POST)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        cohorts = cohort_service.coordinated_cohorts(request.user)
        # isdecimal, not isdigit: "²" is a digit that int() (and so the lookup) refuses.
        cohort_id = request.POST.get("cohort", "")
        cohort = get_object_or_404(cohorts, pk=cohort_id if cohort_id.isdecimal() else 0)
        ids = [value for value in request.POST.getlist("selected") if value.isdecimal()]
        chosen = list(people.memberships(request.user).filter(pk__in=ids))
        back = reverse("coordination_people:index")
        if not chosen:
            messages.error(request, _("Choose at least one person to add."))
            return redirect(back)
        in_organisation = [m.user for m in chosen if m.organisation_id == cohort.organisation_id]
        others = len(chosen) - len(in_organisation)
        added = cohort_service.add_members(cohort, in_organisation)
        messages.success(
            request,
            _("Added %(added)d to %(cohort)s (%(already)d already in it).")
            % {
                "added": len(added),
                "cohort": cohort.name,
                "already": len(in_organisation) - len(added),
            },
        )
        if others:
            messages.warning(
                request,
                _("%(count)d not added: they are not members of the cohort's organisation.")
                % {"count": others},
            )
        return redirect(back)


urlpatterns = [
    path("", PeopleView.as_view(), name="index"),
    path("add-to-cohort/", AddToCohortView.as_view(), name="add_to_cohort"),
    path("<int:membership_id>/remove/", RemoveMemberView.as_view(), name="remove"),
]


@hooks.register("register_admin_urls")
def register_people_urls():
    return [
        path(
            "coordination/people/",
            include((urlpatterns, "coordination_people"), namespace="coordination_people"),
        )
    ]


class PeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return can_coordinate(request.user)


@hooks.register("register_coordination_menu_item")
def people_menu_item():
    return PeopleMenuItem(
        _("People"),
        reverse("coordination_people:index"),
        name="coordination-people",
        icon_name="group",
        order=100,
    )
