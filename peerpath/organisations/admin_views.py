"""Admin screens for organisations: create and edit views that set an organisation up, the
memberships screens (each coordinator sees and changes only their own organisations'), and the
learner chooser used to add organisation members."""

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.button import Button
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    UsageView,
)

from .models import OrganisationMembership
from .roles import PEOPLE, can_manage_roles
from .scope import in_scope, organisations_for, visible_organisations
from .setup import set_up_organisation


class OrganisationIndexView(IndexView):
    """The organisations, each with a way to its *Staff roles* screen (`roles_admin.py`)."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_manage_roles(self.request.user, instance):
            buttons.append(
                Button(
                    _("Staff roles"),
                    url=reverse("organisation_roles", args=[instance.pk]),
                    icon_name="group",
                    priority=20,
                )
            )
        return buttons


class OrganisationCreateView(CreateView):
    """Creating an organisation also sets it up: editors' group, collections, and whatever other
    apps add (the workshops app: its index page)."""

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


# --- Memberships, scoped to the organisations the user coordinates -----------------------------


def memberships_for(user, queryset=None):
    """The memberships of the organisations `user` coordinates (`roles.PEOPLE`); all for
    superusers, none for anyone else."""
    queryset = OrganisationMembership.objects.all() if queryset is None else queryset
    organisations = organisations_for(user, PEOPLE)
    if organisations is None:
        return queryset
    return queryset.filter(organisation__in=organisations)


class MembershipPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, on the memberships of the organisations the user coordinates only
    (what bulk actions ask about each row they are given)."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and in_scope(
            user, instance.organisation_id, PEOPLE
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        return memberships_for(user, super().instances_user_has_permission_for(user, action))

    def instances_user_has_any_permission_for(self, user, actions):
        return memberships_for(user, super().instances_user_has_any_permission_for(user, actions))


class MembershipForm(WagtailAdminModelForm):
    """The organisation is chosen among those the user coordinates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["organisation"].queryset = visible_organisations(
                self.for_user, PEOPLE
            ).order_by("name")


class MembershipFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=lambda request: visible_organisations(request.user, PEOPLE),
    )

    class Meta:
        model = OrganisationMembership
        fields = ["organisation"]


class ScopedMembershipsMixin:
    """Another organisation's membership is not found (404), whatever the permissions."""

    def get_queryset(self):
        return memberships_for(self.request.user, super().get_queryset())


class ScopedMembershipObjectMixin:
    def get_base_object_queryset(self):
        return memberships_for(self.request.user, super().get_base_object_queryset())


class MembershipIndexView(IndexView):
    def get_base_queryset(self):
        return memberships_for(self.request.user, super().get_base_queryset())


class MembershipEditView(ScopedMembershipsMixin, EditView):
    pass


class MembershipDeleteView(ScopedMembershipsMixin, DeleteView):
    pass


class MembershipHistoryView(ScopedMembershipObjectMixin, HistoryView):
    pass


class MembershipUsageView(ScopedMembershipObjectMixin, UsageView):
    pass


# --- Choosing a learner for an organisation membership ------------------------------------------


def learner_label(user):
    """How a learner is shown when choosing one: name and e-mail, which tell namesakes apart."""
    name = user.get_full_name() or user.get_username()
    return f"{name} <{user.email}>" if user.email and user.email != name else name


def can_manage_memberships(user):
    """Only those who may add or change memberships browse the list of users."""
    policy = ModelPermissionPolicy(OrganisationMembership)
    return user.is_active and policy.user_has_any_permission(user, ["add", "change"])


class LearnerSearchForm(BaseFilterForm):
    """Search by name, e-mail or username: every word must match one of them."""

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Name or e-mail")}),
        required=False,
        max_length=200,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q", "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            for word in query.split():
                objects = objects.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(email__icontains=word)
                    | Q(username__icontains=word)
                )
        return objects


class LearnerChooserMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_manage_memberships(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return self.model_class.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "pk"
        )

    def get_display_title(self, instance):
        return learner_label(instance)


class LearnerListingMixin(LearnerChooserMixin):
    filter_form_class = LearnerSearchForm
    per_page = 20

    @property
    def columns(self):
        # Wagtail's title column (the link that chooses), showing the name; e-mail beside it.
        name = self.title_column
        name.label = _("Name")
        name.accessor = lambda user: user.get_full_name() or user.get_username()
        return [name, Column("email", label=_("E-mail"))]


class LearnerChooseView(LearnerListingMixin, ChooseView):
    pass


class LearnerChooseResultsView(LearnerListingMixin, ChooseResultsView):
    pass


class LearnerChosenView(LearnerChooserMixin, ChosenView):
    pass


class LearnerChooserWidget(BaseChooser):
    def get_display_title(self, instance):
        return learner_label(instance)


class LearnerChooserViewSet(ChooserViewSet):
    """A searchable modal for choosing a learner, instead of a select listing every account.

    Not registered as the default widget for every foreign key to users: only the membership
    form uses it, and only membership managers may open it.
    """

    model = settings.AUTH_USER_MODEL
    icon = "user"
    choose_one_text = _("Choose a learner")
    choose_another_text = _("Choose another learner")
    register_widget = False
    base_widget_class = LearnerChooserWidget
    choose_view_class = LearnerChooseView
    choose_results_view_class = LearnerChooseResultsView
    chosen_view_class = LearnerChosenView
