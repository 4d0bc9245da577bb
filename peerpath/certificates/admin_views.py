"""The Wagtail admin for issued certificates: a filterable list, an inspect page, and the
lifecycle actions (revoke or suspend with a reason, reinstate, renew, reissue, confirm full
certification of a provisional certificate). Certificates are never created, edited or
deleted here: every change goes through `certificates/issuing.py`. Who may do what is
`admin_access.py`'s; the progress report and the verification lookup are `admin_reports.py`'s."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from peerpath.form_fields import ModelMultipleChoiceField
from peerpath.organisations.scope import organisation_name, scope_certificates
from peerpath.spreadsheets import ValuesExportMixin

from . import admin_awards, issuing
from .admin_access import (
    OrganisationFilter,
    can_manage_lifecycle,
    can_revoke,
    visible_certificates,
)
from .admin_reports import ProgressReportView, VerifyLookupView
from .codes import format_code, normalise_code
from .models import Certificate
from .reports import expiring_within
from .status import CertificateStatus, status_conditions


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CertificateStatus.choices, method="filter_status"
    )
    organisation = OrganisationFilter(user_field="holder")
    issued_at = django_filters.DateFromToRangeFilter(label=_("Issued between"))
    expires_on = django_filters.DateFromToRangeFilter(label=_("Expires"))
    expiring_within = django_filters.NumberFilter(
        label=_("Expiring within (days)"),
        method="filter_expiring_within",
        min_value=0,
        max_value=3650,
    )

    class Meta:
        model = Certificate
        fields = ["status", "programme", "organisation", "issued_at", "expires_on"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_conditions()[CertificateStatus(value)])

    def filter_expiring_within(self, queryset, name, value):
        if value is None:
            return queryset
        return expiring_within(queryset, int(value))


class CertificateIndexView(ValuesExportMixin, IndexView):
    index_template_name = "certificates/admin/index.html"

    def get_template_names(self):
        if self.results_only:
            return super().get_template_names()
        return [self.index_template_name]

    def get_base_queryset(self):
        queryset = Certificate.objects.with_status().annotate(
            organisation_name=organisation_name("holder"),
            awarded_on_prior_learning=admin_awards.awarded_on_prior_learning(),
        )
        return scope_certificates(queryset, self.request.user)

    def search_queryset(self, queryset):
        """Holder name or number (contains), or the verification code however it was typed."""
        query = (self.search_query or "").strip()
        if not query:
            return queryset
        condition = Q(holder_name__icontains=query) | Q(number__icontains=query)
        code = normalise_code(query)
        if code:
            condition |= Q(verification_code=code)
        return queryset.filter(condition)

    def get_export_sources(self):
        # Labels translated once per export, not once per row.
        labels = {status.value: str(status.label) for status in CertificateStatus}
        return {
            "status_label": ("annotated_status", labels.__getitem__),
            "display_code": ("verification_code", format_code),
            "prior_learning": ("awarded_on_prior_learning", admin_awards.awarded_label),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bulk_revoke_url"] = (
            reverse("certificates_admin:bulk_revoke") if can_revoke(self.request.user) else None
        )
        return context


class SelectColumn(Column):
    """A checkbox per row that belongs to the bulk revoke form below the listing."""

    cell_template_name = "certificates/admin/select_cell.html"

    def __init__(self):
        super().__init__("select", label=_("Select"), accessor="pk")


#: Statuses a certificate can be renewed from: revocation is final, a replaced certificate already
#: has its successor, a suspended one must be reinstated first, and a provisional one is confirmed.
RENEWABLE = {
    CertificateStatus.VALID,
    CertificateStatus.LAPSED,
    CertificateStatus.EXPIRED,
    CertificateStatus.RELINQUISHED,
}

#: Action → (who may do it, the statuses it applies to). The inspect page offers an action only
#: where it applies; `issuing` refuses it anywhere else. Revoking and suspending act on the
#: current certificate of a renewal chain (`acted_on`), so it is that certificate's status
#: that counts.
ACTION_RULES = {
    "revoke": (can_revoke, set(CertificateStatus) - {CertificateStatus.REVOKED}),
    "suspend": (can_revoke, issuing.SUSPENDABLE),
    "reinstate": (can_revoke, {CertificateStatus.SUSPENDED}),
    "renew": (can_manage_lifecycle, RENEWABLE),
    "reissue": (can_manage_lifecycle, RENEWABLE | {CertificateStatus.PROVISIONAL}),
    "confirm": (can_manage_lifecycle, {CertificateStatus.PROVISIONAL}),
}


#: Actions that follow a renewal/reissue chain to its current certificate (`issuing.revoke`,
#: `issuing.suspend`).
CHAIN_ACTIONS = {"revoke", "suspend"}


def acted_on(action, certificate):
    """The certificate `action` changes when staff choose it on `certificate`."""
    if action in CHAIN_ACTIONS:
        return issuing.current_certificate(certificate)
    return certificate


class CertificateInspectView(InspectView):
    template_name = "certificates/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(visible_certificates(self.request.user), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prior_learning"] = admin_awards.award_context(self.object, self.request.user)
        return context

    @cached_property
    def header_buttons(self):
        user = self.request.user
        buttons = [
            HeaderButton(
                _("History"),
                url=reverse("certificates_admin:history", args=[self.object.pk]),
                icon_name="history",
            )
        ]
        certificate = self.object
        current = issuing.current_certificate(certificate)
        for action, label, icon in [
            ("revoke", _("Revoke"), "cross"),
            ("suspend", _("Suspend"), "lock"),
            ("reinstate", _("Reinstate"), "lock-open"),
            ("renew", _("Renew"), "rotate"),
            ("reissue", _("Reissue"), "repeat"),
            ("confirm", _("Confirm full certification"), "circle-check"),
        ]:
            allowed, statuses = ACTION_RULES[action]
            status = (current if action in CHAIN_ACTIONS else certificate).status
            if (
                allowed(user)
                and status in statuses
                and certificate.holder_id
                and certificate.programme_id
            ):
                url = reverse(f"certificates_admin:{action}", args=[certificate.pk])
                buttons.append(HeaderButton(label, url=url, icon_name=icon))
        return buttons


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded with your name. Verifiers only see that it was revoked, and when."),
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Recorded with your name. Verifiers only see that it is suspended, and since when."
        ),
    )


class ReinstateForm(forms.Form):
    reason = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: why the suspension ends. Recorded with your name."),
    )


class ConfirmForm(forms.Form):
    pass


class LifecycleActionView(WagtailAdminTemplateMixin, FormView):
    """Confirm (and for revocation, explain) one lifecycle action on a certificate."""

    template_name = "certificates/admin/lifecycle_action.html"
    header_icon = "doc-full"
    action = None
    actions = {
        "revoke": (_("Revoke certificate"), _("Revoke"), RevokeForm),
        "renew": (_("Renew certificate"), _("Renew"), ConfirmForm),
        "reissue": (_("Reissue certificate"), _("Reissue"), ConfirmForm),
        "suspend": (_("Suspend certificate"), _("Suspend"), SuspendForm),
        "reinstate": (_("Reinstate certificate"), _("Reinstate"), ReinstateForm),
        "confirm": (
            _("Confirm full certification"),
            _("Confirm full certification"),
            ConfirmForm,
        ),
    }
    explanations = {
        "revoke": _(
            "Certificate %(number)s stops being valid immediately. Its record is kept, and its "
            "verification page will say “Revoked” with today's date."
        ),
        "renew": _(
            "A new certificate with a new number and code, valid for a new period, replaces "
            "this one. The holder's current name and the programme's current template are used."
        ),
        "reissue": _(
            "A corrected copy with a new number and code and the same expiry date replaces this "
            "one, using the holder's current name. Use it after a name change."
        ),
        "suspend": _(
            "Certificate %(number)s stops being valid until it is reinstated. Its verification "
            "page will say “Suspended” with today's date; the reason is not shown."
        ),
        "reinstate": _(
            "The suspension ends: the certificate is valid again until its expiry date, unless "
            "that has passed."
        ),
        "confirm": _(
            "The provisional stage's requirements are met. A full certificate, valid from today "
            "for the programme's full period, replaces this provisional one with no gap."
        ),
    }
    refusals = {
        CertificateStatus.REVOKED: _(
            "Certificate %(number)s has been revoked: it cannot be renewed or reissued."
        ),
        CertificateStatus.SUPERSEDED: _(
            "Certificate %(number)s has already been replaced: act on its replacement instead."
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        allowed, statuses = ACTION_RULES[self.action]
        if not allowed(request.user):
            raise PermissionDenied
        self.certificate = get_object_or_404(visible_certificates(request.user), pk=kwargs["pk"])
        self.target = acted_on(self.action, self.certificate)
        status = self.target.status
        if self.action != "revoke" and status not in statuses:
            # Nothing to confirm: say why, on the certificate's page.
            refusal = self.refusals.get(status) or _(
                "Certificate %(number)s is %(status)s: “%(action)s” does not apply to it."
            )
            messages.error(
                request,
                refusal
                % {
                    "number": self.target.number,
                    "status": status.label.lower(),
                    "action": self.actions[self.action][1],
                },
            )
            return redirect("certificates_admin:inspect", self.target.pk)
        return super().dispatch(request, *args, **kwargs)

    #: Actions that change the certificate in place: (service, success message).
    status_changes = {
        "revoke": (issuing.revoke, _("Certificate %(number)s revoked.")),
        "suspend": (issuing.suspend, _("Certificate %(number)s suspended.")),
        "reinstate": (issuing.reinstate, _("Certificate %(number)s reinstated.")),
    }
    #: Actions that issue a successor.
    replacements = {
        "renew": issuing.renew,
        "reissue": issuing.reissue,
        "confirm": issuing.confirm_full,
    }

    def get_page_title(self):
        return self.actions[self.action][0]

    def get_page_subtitle(self):
        return self.target.number

    def get_form_class(self):
        return self.actions[self.action][2]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        replaced = self.target.pk != self.certificate.pk
        context.update(
            certificate=self.target,
            replaced=self.certificate if replaced else None,
            explanation=self.explanations[self.action] % {"number": self.target.number},
            submit_label=self.actions[self.action][1],
            inspect_url=reverse("certificates_admin:inspect", args=[self.certificate.pk]),
        )
        return context

    def form_valid(self, form):
        user = self.request.user
        try:
            if self.action in self.status_changes:
                perform, message = self.status_changes[self.action]
                result = perform(self.certificate, user, form.cleaned_data["reason"])
            else:
                perform = self.replacements[self.action]
                result = perform(self.certificate, by=user)
                message = _("Certificate %(number)s issued.")
        except issuing.IssuingError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, message % {"number": result.number})
        return redirect("certificates_admin:inspect", result.pk)


class BulkRevokeForm(forms.Form):
    certificates = ModelMultipleChoiceField(
        queryset=Certificate.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Select the certificates to revoke in the list first."),
            "invalid_choice": _("Certificate %(value)s does not exist or is not yours to revoke."),
            "invalid_pk_value": _("“%(pk)s” is not a certificate."),
        },
    )
    reason = RevokeForm.base_fields["reason"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificates"].queryset = visible_certificates(user)

    def clean_certificates(self):
        """The certificates that will be revoked: for each one selected, the current certificate
        of its renewal chain (`issuing.revoke`), each once."""
        targets = {}
        for certificate in self.cleaned_data["certificates"]:
            current = issuing.current_certificate(certificate)
            if current.pk != certificate.pk:
                current.replaces_selected = certificate.number
            targets.setdefault(current.pk, current)
        revoked = [c.number for c in targets.values() if c.status == CertificateStatus.REVOKED]
        if revoked:
            raise forms.ValidationError(
                _("Already revoked: %(numbers)s. Unselect them and try again.")
                % {"numbers": ", ".join(revoked)}
            )
        return list(targets.values())


class BulkRevokeView(WagtailAdminTemplateMixin, FormView):
    """Revoke the certificates selected in the listing, all with one reason, or none at all."""

    template_name = "certificates/admin/bulk_revoke.html"
    form_class = BulkRevokeForm
    page_title = _("Revoke certificates")
    header_icon = "cross"

    def dispatch(self, request, *args, **kwargs):
        if not can_revoke(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.request.method == "GET":
            # Arriving from the listing: the selected ids are validated like a submission.
            kwargs["data"] = {"certificates": self.request.GET.getlist("id")}
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.method == "GET":
            form.is_valid()
            form.errors.pop("reason", None)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["selected"] = (
            form.cleaned_data.get("certificates", []) if hasattr(form, "cleaned_data") else []
        )
        context["index_url"] = reverse("certificates_admin:index")
        return context

    def form_valid(self, form):
        certificates = list(form.cleaned_data["certificates"])
        try:
            with transaction.atomic():
                for certificate in certificates:
                    issuing.revoke(certificate, self.request.user, form.cleaned_data["reason"])
        except issuing.IssuingError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)d certificate revoked.",
                "%(count)d certificates revoked.",
                len(certificates),
            )
            % {"count": len(certificates)},
        )
        return redirect("certificates_admin:index")


class CertificateHistoryView(HistoryView):
    """The audit trail: who issued, revoked, renewed, reissued or relinquished, when and why."""

    any_permission_required = ["view"]

    @cached_property
    def columns(self):
        columns = super().columns
        # Wagtail shows a log entry's comment (our reason) only in the action cell it uses for
        # models with revisions; certificates have none, so the action column gets this cell.
        columns[0].cell_template_name = "certificates/admin/history_action_cell.html"
        return columns

    def get_edit_url(self, instance):
        # Certificates are never edited: the history links to the inspect page instead.
        return reverse("certificates_admin:inspect", args=[instance.pk])

    def get_base_object_queryset(self):
        return scope_certificates(super().get_base_object_queryset(), self.request.user)


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 100
    add_to_admin_menu = False
    url_prefix = "certificates"
    name = "certificates_admin"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    history_view_class = CertificateHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CertificateFilterSet
    search_fields = ["number", "holder_name", "verification_code"]
    list_display = [
        SelectColumn(),
        # The bulk-action checkbox column would otherwise take the row's link: keep the number
        # the way into a certificate's page (inspect, history, revoke, renew, reissue).
        TitleColumn("number", label=_("Certificate number"), url_name="certificates_admin:inspect"),
        "holder_name",
        Column("organisation_name", label=_("Organisation")),
        "credential_name",
        Column("status_label", label=_("Status")),
        Column("prior_learning", label=_("Prior learning"), accessor=admin_awards.list_cell),
        "issued_at",
        "expires_on",
    ]
    list_export = [
        "number",
        "holder_name",
        "organisation_name",
        "credential_name",
        "programme_title",
        "status_label",
        "issued_at",
        "expires_on",
        "display_code",
        "issuer_name",
        "revoked_at",
        "revocation_reason",
        "prior_learning",
    ]
    export_headings = {
        "organisation_name": _("Organisation"),
        "status_label": _("Status"),
        "display_code": _("Verification code"),
        "prior_learning": admin_awards.AWARDED_LABEL,
    }
    export_filename = "certificates"
    inspect_view_fields = [
        "number",
        "holder_name",
        "credential_name",
        "programme_title",
        "hours",
        "issuer_name",
        "issued_at",
        "expires_on",
        "cycle",
        "supersedes",
        "pdf_sha256",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "is_provisional",
        "grace_ends_on",
        "suspended_at",
        "suspended_by",
        "suspension_reason",
        "relinquished_at",
    ]

    def get_urlpatterns(self):
        # Reading, reports and the lifecycle actions: no add, edit, copy or delete view.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<str:pk>/", self.history_view, name="history"),
            path("history-results/<str:pk>/", self.history_results_view, name="history_results"),
            path("revoke-selected/", BulkRevokeView.as_view(), name="bulk_revoke"),
            path("verify/", VerifyLookupView.as_view(), name="verify"),
            path("evidence/<int:pk>/", admin_awards.evidence_file, name="evidence"),
            path("progress/", ProgressReportView.as_view(), name="progress"),
            path(
                "progress/results/",
                ProgressReportView.as_view(results_only=True),
                name="progress_results",
            ),
        ] + [
            path(
                f"{action}/<int:pk>/",
                LifecycleActionView.as_view(action=action),
                name=action,
            )
            for action in LifecycleActionView.actions
        ]
