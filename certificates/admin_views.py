"""The Wagtail admin for issued certificates: a filterable list, an inspect page, and the
lifecycle actions (revoke with a reason, renew, reissue). Certificates are never created, edited or
deleted here: every change goes through `certificates/issuing.py`."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import issuing
from .models import Certificate, CertificateStatus

LIFECYCLE_PERMISSION = "certificates.change_certificate"


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Staff with "view certificate" see certificates; nobody adds, edits or deletes them here."""

    FORBIDDEN = {"add", "change", "delete"}

    def user_has_permission(self, user, action):
        return action not in self.FORBIDDEN and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


def can_manage_lifecycle(user):
    """Who may revoke, renew and reissue: staff with the "change certificate" permission."""
    return user.is_active and user.is_staff and user.has_perm(LIFECYCLE_PERMISSION)


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CertificateStatus.choices, method="filter_status"
    )
    expires_on = django_filters.DateFromToRangeFilter(label=_("Expires"))

    class Meta:
        model = Certificate
        fields = ["status", "programme", "expires_on"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(annotated_status=value)


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().with_status().select_related("holder")


class CertificateInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        if not can_manage_lifecycle(self.request.user):
            return []
        buttons = []
        certificate = self.object
        status = Certificate.objects.with_status().get(pk=certificate.pk).status
        for action, label, icon, allowed in [
            ("revoke", _("Revoke"), "cross", status != CertificateStatus.REVOKED),
            ("renew", _("Renew"), "rotate", status != CertificateStatus.REVOKED),
            ("reissue", _("Reissue"), "repeat", status != CertificateStatus.SUPERSEDED),
        ]:
            if allowed and certificate.holder_id and certificate.programme_id:
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
    }
    explanations = {
        "revoke": _(
            "The certificate stops being valid immediately. Its record is kept, and its "
            "verification page will say “Revoked” with today's date."
        ),
        "renew": _(
            "A new certificate with a new number and code, valid for a new period, replaces "
            "this one. The holder's current name and the programme's current template are used."
        ),
        "reissue": _(
            "A corrected copy with a new number and code and the same expiry date replaces this "
            "one, using the holder's current name. Use it after a name change, or to reinstate "
            "a certificate revoked in error."
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_lifecycle(request.user):
            raise PermissionDenied
        self.certificate = get_object_or_404(Certificate.objects.with_status(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.actions[self.action][0]

    def get_page_subtitle(self):
        return self.certificate.number

    def get_form_class(self):
        return self.actions[self.action][2]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate=self.certificate,
            explanation=self.explanations[self.action],
            submit_label=self.actions[self.action][1],
            inspect_url=reverse("certificates_admin:inspect", args=[self.certificate.pk]),
        )
        return context

    def form_valid(self, form):
        try:
            if self.action == "revoke":
                issuing.revoke(self.certificate, self.request.user, form.cleaned_data["reason"])
                result = self.certificate
                message = _("Certificate %(number)s revoked.")
            else:
                perform = issuing.renew if self.action == "renew" else issuing.reissue
                result = perform(self.certificate, by=self.request.user)
                message = _("Certificate %(number)s issued.")
        except issuing.IssuingError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, message % {"number": result.number})
        return redirect("certificates_admin:inspect", result.pk)


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "certificates"
    name = "certificates_admin"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CertificateFilterSet
    search_fields = ["number", "holder_name", "credential_name"]
    list_display = [
        "number",
        "holder_name",
        "credential_name",
        Column("status_label", label=_("Status")),
        "issued_at",
        "expires_on",
    ]
    list_export = [
        "number",
        "holder_name",
        "credential_name",
        "programme_title",
        "status_label",
        "issued_at",
        "expires_on",
        "issuer_name",
    ]
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
        "relinquished_at",
    ]

    def get_urlpatterns(self):
        # Only reading and the lifecycle actions: there is no add, edit, copy or delete view.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ] + [
            path(
                f"{action}/<int:pk>/",
                LifecycleActionView.as_view(action=action),
                name=action,
            )
            for action in LifecycleActionView.actions
        ]
