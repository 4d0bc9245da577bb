"""The Certification admin's reports: learner progress (from the enrolment summary rows training
keeps, and each learner's latest certificate: `certificates.reports`) and the staff verification
lookup (what the public page shows, plus the audit history)."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from peerpath.spreadsheets import ValuesExportMixin
from peerpath.training.models import Enrolment, ProgrammePage

from .admin_access import OrganisationFilter, can_verify, can_view_reports, visible_certificates
from .codes import MAX_INPUT_LENGTH, normalise_code
from .models import Certificate
from .reports import LearnerState, annotate_progress, in_state, progress_rows


class LearnerStateFilter(django_filters.ChoiceFilter):
    def filter(self, queryset, value):
        return in_state(queryset, value) if value else queryset


class ProgressFilterSet(WagtailFilterSet):
    state = LearnerStateFilter(label=_("State"), choices=LearnerState.choices)
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=ProgrammePage.objects.all()
    )
    organisation = OrganisationFilter()
    last_activity_at = django_filters.DateFromToRangeFilter(label=_("Last activity between"))

    class Meta:
        model = Enrolment
        fields = ["state", "programme", "organisation", "last_activity_at"]


class ProgressReportView(ValuesExportMixin, ReportView):
    """Every enrolment the user may see: % complete, required modules done, last activity,
    state. Read from the enrolment summary rows training keeps, plus the latest certificate
    (`certificates.reports`)."""

    page_title = _("Learner progress")
    header_icon = "tasks"
    index_url_name = "certificates_admin:progress"
    index_results_url_name = "certificates_admin:progress_results"
    filterset_class = ProgressFilterSet
    export_filename = "learner-progress"
    columns = [
        Column("learner", label=_("Learner"), accessor="learner_name"),
        Column("organisation_name", label=_("Organisation")),
        Column("programme", label=_("Programme"), accessor="programme.title"),
        Column("percent_complete", label=_("% complete")),
        Column("required", label=_("Required modules"), accessor="required_summary"),
        DateColumn("last_activity_at", label=_("Last activity")),
        Column("state", label=_("State"), accessor="state_label"),
    ]
    list_export = [
        "learner_name",
        "user.email",
        "organisation_name",
        "programme.title",
        "percent_complete",
        "required_done",
        "required_total",
        "last_activity_at",
        "state_label",
    ]
    export_headings = {
        "learner_name": _("Learner"),
        "user.email": _("E-mail"),
        "organisation_name": _("Organisation"),
        "programme.title": _("Programme"),
        "percent_complete": _("% complete"),
        "required_done": _("Required modules completed"),
        "required_total": _("Required modules"),
        "last_activity_at": _("Last activity"),
        "state_label": _("State"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return progress_rows(self.request.user)

    def get_export_queryset(self):
        return annotate_progress(self.get_filtered_queryset())

    def get_export_sources(self):
        labels = {state.value: str(state.label) for state in LearnerState}
        return {"state_label": ("state", labels.__getitem__)}

    def decorate_paginated_queryset(self, object_list):
        """Name, organisation and state, in one more query for the rows shown."""
        rows = list(object_list)
        figures = annotate_progress(Enrolment.objects.filter(pk__in=[row.pk for row in rows]))
        names = list(figures.query.annotations)
        by_pk = {values[0]: values[1:] for values in figures.values_list("pk", *names)}
        for row in rows:
            # The listing's table already holds these row objects: fill them in place.
            if row.pk in by_pk:
                row.__dict__.update(zip(names, by_pk[row.pk], strict=True))
                decorate(row)
        return rows


def decorate(row):
    """Display values for a progress row (no queries: everything is annotated or stored)."""
    row.state_label = LearnerState(row.state).label
    row.required_summary = _("%(done)d of %(total)d") % {
        "done": row.required_done,
        "total": row.required_total,
    }
    return row


class VerifyLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=MAX_INPUT_LENGTH,
        help_text=_(
            "As printed on the certificate, e.g. 7KQ2-M9XD-4TRA-VB3H; any case, dashes optional."
        ),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("That is not a verification code: check it and try again.")
            )
        return code


class VerifyLookupView(WagtailAdminTemplateMixin, TemplateView):
    """What the public verification page shows, plus the audit history (for certificates of the
    user's organisations)."""

    template_name = "certificates/admin/verify_lookup.html"
    page_title = _("Verify a certificate")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not can_verify(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = VerifyLookupForm(self.request.GET or None)
        certificate = history = None
        searched = form.is_bound and form.is_valid()
        if searched:
            certificate = (
                Certificate.objects.with_status()
                .select_related("holder__peerpath_profile")
                .filter(verification_code=form.cleaned_data["code"])
                .first()
            )
            if certificate is not None and (
                visible_certificates(self.request.user).filter(pk=certificate.pk).exists()
            ):
                history = audit_history(certificate)
        context.update(form=form, certificate=certificate, history=history, searched=searched)
        return context


def audit_history(certificate):
    """The certificate's log entries, newest first, with who did each."""
    return certificate.log_entries.select_related("user").order_by("-timestamp", "-pk")
