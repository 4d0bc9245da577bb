"""The *Staff roles* admin screens: who holds each role in an organisation, giving a role to an
existing account by its e-mail address, and taking one away.

Thin: who may hand out roles is `roles.can_manage_roles` (superusers and the organisation's
coordinators), granting and removing are `roles.grant` and `roles.remove` (which refuse a closed
account and leaving an organisation without a coordinator, and record each change in the
organisation's history). Anyone else is told the organisation is not found: a coordinator of
one organisation never learns who holds roles in another.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import roles
from .models import Organisation
from .scope import organisations_for


def manageable_organisations(user):
    """The organisations whose roles `user` hands out: all for superusers, else those they
    coordinate (`roles.PEOPLE`, the same people `roles.can_manage_roles` lets in)."""
    organisations = organisations_for(user, roles.PEOPLE)
    return Organisation.objects.all() if organisations is None else organisations


def display_name(user):
    return user.get_full_name() or user.get_username()


class GiveRoleForm(forms.Form):
    """An existing, open account (by its e-mail address) and the role to give it."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy("The address of their PeerPath account."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=roles.Role.choices)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.account = None

    def clean(self):
        cleaned = super().clean()
        email, role = cleaned.get("email"), cleaned.get("role")
        if not email or not role:
            return cleaned
        accounts = get_user_model().objects.filter(email__iexact=email.strip())
        account = accounts.filter(is_active=True).order_by("pk").first()
        if account is None:
            if accounts.exists():
                self.add_error("email", _("That account is closed: it cannot be given a role."))
            else:
                self.add_error(
                    "email",
                    _(
                        "No account uses that e-mail address. Ask them to sign up first, then "
                        "give them the role."
                    ),
                )
            return cleaned
        if roles.holders(self.organisation, role).filter(pk=account.pk).exists():
            self.add_error(
                "email",
                _("%(name)s already holds that role in %(organisation)s.")
                % {"name": display_name(account), "organisation": self.organisation.name},
            )
            return cleaned
        self.account = account
        return cleaned


class RolesAccessMixin:
    """Superusers and the organisation's coordinators; for anyone else it does not exist."""

    def dispatch(self, request, *args, **kwargs):
        self.organisation = get_object_or_404(Organisation, pk=kwargs["pk"])
        if not roles.can_manage_roles(request.user, self.organisation):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.organisation.name

    def roles_url(self):
        return reverse("organisation_roles", args=[self.organisation.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("organisation_roles_index"), "label": _("Staff roles")},
            {"url": "", "label": self.organisation.name},
        ]


class StaffRolesView(RolesAccessMixin, WagtailAdminTemplateMixin, FormView):
    """Each role with its description and holders, the form that gives a role, and a Remove
    button beside each holder."""

    template_name = "organisations/admin/roles.html"
    page_title = gettext_lazy("Staff roles")
    header_icon = "group"
    form_class = GiveRoleForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.organisation
        context["roles"] = [
            {
                "role": role,
                "description": roles.DESCRIPTIONS[role],
                "holders": list(
                    roles.holders(self.organisation, role).order_by("last_name", "first_name", "pk")
                ),
            }
            for role in roles.Role
        ]
        return context

    def form_valid(self, form):
        role = roles.Role(form.cleaned_data["role"])
        try:
            roles.grant(self.organisation, form.account, role, by=self.request.user)
        except roles.RoleError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s now holds the role %(role)s in %(organisation)s.")
            % {
                "name": display_name(form.account),
                "role": role.label,
                "organisation": self.organisation.name,
            },
        )
        return redirect(self.roles_url())


class RemoveRoleView(RolesAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks before taking a role away (GET), then takes it (POST)."""

    template_name = "organisations/admin/remove_role.html"
    page_title = gettext_lazy("Remove a role")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.role = roles.Role(kwargs["role"])
        except ValueError:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_holder(self):
        return get_object_or_404(
            roles.holders(self.organisation, self.role), pk=self.kwargs["account"]
        )

    def get_context_data(self, **kwargs):
        holder = self.get_holder()
        context = super().get_context_data(**kwargs)
        context.update(
            organisation=self.organisation,
            role=self.role,
            holder=holder,
            holder_name=display_name(holder),
            roles_url=self.roles_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        holder = self.get_holder()
        try:
            roles.remove(self.organisation, holder, self.role, by=request.user)
        except roles.RoleError as error:
            messages.error(request, str(error))
            return redirect(self.roles_url())
        messages.success(
            request,
            _("%(name)s no longer holds the role %(role)s in %(organisation)s.")
            % {
                "name": display_name(holder),
                "role": self.role.label,
                "organisation": self.organisation.name,
            },
        )
        return redirect(self.roles_url())


class StaffRolesIndexView(WagtailAdminTemplateMixin, TemplateView):
    """The organisations whose roles the user hands out; straight to the one, when there is
    only one. Someone who coordinates no organisation is refused."""

    template_name = "organisations/admin/roles_index.html"
    page_title = gettext_lazy("Staff roles")
    header_icon = "group"

    def get(self, request, *args, **kwargs):
        self.organisations = list(manageable_organisations(request.user).order_by("name"))
        if not request.user.is_superuser:
            if not self.organisations:
                raise PermissionDenied
            if len(self.organisations) == 1:
                return redirect("organisation_roles", self.organisations[0].pk)
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisations=self.organisations, **kwargs)


class StaffRolesMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or manageable_organisations(user).exists()
