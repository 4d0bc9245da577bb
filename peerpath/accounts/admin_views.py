"""Erasing a learner's personal data on request, in the Wagtail admin.

Staff find the person (by name or e-mail), read what is erased and kept — the same text the
learner sees on "Delete my account" — give a reason and confirm. `privacy.erase_account` does the
work and records who, when and why in the audit trail. Who may do it is `privacy.can_erase_others`;
whom they may not erase (themselves, superusers, already erased accounts) is
`privacy.erasure_refusal`.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import privacy
from .forms import EraseAccountForm

User = get_user_model()

MAX_RESULTS = 50


class ErasurePermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not privacy.can_erase_others(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ErasureSearchView(ErasurePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Find the person who asked to have their data erased."""

    template_name = "accounts/admin/erasure_search.html"
    page_title = _("Erase personal data")
    header_icon = "bin"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_results(self, query):
        words = query.split()[:5]
        if not words:
            return []
        people = User.objects.filter(is_active=True)
        for word in words:
            people = people.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(peerpath_profile__certificate_name__icontains=word)
            )
        return list(
            people.select_related("peerpath_profile")
            .annotate(
                enrolment_count=Count("enrolments", distinct=True),
                certificate_count=Count("certificates", distinct=True),
            )
            .order_by("email", "pk")[:MAX_RESULTS]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = " ".join(self.request.GET.get("q", "")[:200].split())
        results = self.get_results(query)
        for person in results:
            person.refusal = privacy.erasure_refusal(self.request.user, person)
        context.update(query=query, results=results, max_results=MAX_RESULTS)
        return context


class EraseAccountView(ErasurePermissionMixin, WagtailAdminTemplateMixin, FormView):
    """What erasing this person's account removes and keeps; a reason; the button."""

    template_name = "accounts/admin/erase_account.html"
    form_class = EraseAccountForm
    page_title = _("Erase personal data")
    header_icon = "bin"
    success_url = reverse_lazy("accounts_erasure")

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(
            User.objects.select_related("peerpath_profile"), pk=kwargs["user_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.person.get_full_name() or self.person.get_username()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("accounts_erasure"), "label": self.page_title},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            person=self.person,
            refusal=privacy.erasure_refusal(self.request.user, self.person),
            certificate_name=getattr(
                getattr(self.person, "peerpath_profile", None), "certificate_name", ""
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        if privacy.erasure_refusal(request.user, self.person):
            response = self.get(request, *args, **kwargs)
            response.status_code = 403
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        person_id = self.person.pk
        privacy.erase_account(
            self.person, erased_by=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            self.request,
            _(
                "The personal data of account %(id)s has been erased. The reason, your name and "
                "the time are recorded in the audit trail."
            )
            % {"id": person_id},
        )
        return redirect(self.get_success_url())
