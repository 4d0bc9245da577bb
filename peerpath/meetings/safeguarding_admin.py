"""The Safeguarding admin: an organisation's staff follow up its safeguarding concerns and keep its
signposting categories and local services.

Every view reads through `permissions.scope`, so another organisation's concern, category or
service is a 404. Concerns are raised only by debriefs (`debriefs.py`): staff see them and change
their status and the action taken (`safeguarding.update_concern`), never add or delete them. A
signposting category no longer offered is retired (untick "offered in debriefs"), not deleted, so
past debriefs keep their counts; a local service can be deleted.
"""

import django_filters
from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column, StatusTagColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.models import DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log

from peerpath.organisations.roles import SAFEGUARDING
from peerpath.organisations.scope import visible_organisations

from . import safeguarding
from .admin_views import ScopedObjectMixin
from .choices import ConcernStatus
from .models import LocalService, SafeguardingConcern, SignpostingCategory
from .permissions import OrganisationScopedPolicy, scope

# --- Permission policies ----------------------------------------------------------------------


class ConcernPermissionPolicy(OrganisationScopedPolicy):
    """Concerns come from debriefs only, and stay on record: nobody adds or deletes them here."""

    def user_has_permission(self, user, action):
        return action not in {"add", "delete"} and super().user_has_permission(user, action)


class SignpostingCategoryPermissionPolicy(OrganisationScopedPolicy):
    """A category is retired, never deleted: past debriefs keep their counts."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)


# --- Safeguarding concerns --------------------------------------------------------------------


def session_label(concern):
    """The concern's workshop and session start, in the session's own time zone."""
    session = concern.session
    return f"{session.workshop.title}, {date_format(session.local_start, 'D j M Y, H:i')}"


def person_label(user):
    if user is None:
        return _("(account removed)")
    return user.get_full_name() or user.get_username()


def when_label(moment, concern):
    if moment is None:
        return "—"
    local = timezone.localtime(moment, concern.session.zone)
    return f"{date_format(local, 'D j M Y, H:i')} ({concern.session.time_zone})"


def concern_rows(concern):
    """What the concern's pages show, as (label, value) pairs."""
    return [
        (_("Organisation"), concern.organisation.name),
        (_("Session"), session_label(concern)),
        (_("Raised by"), person_label(concern.raised_by)),
        (_("Raised"), when_label(concern.raised_at, concern)),
        (_("What happened"), concern.summary),
        (_("Sent to"), concern.notified_to or _("Not sent yet")),
        (_("Sent"), when_label(concern.notified_at, concern)),
        (_("Status"), concern.get_status_display()),
        (
            _("Last updated by"),
            person_label(concern.handled_by) if concern.status_changed_at else "—",
        ),
        (_("Status changed"), when_label(concern.status_changed_at, concern)),
        (_("Action taken"), concern.outcome or "—"),
    ]


def staff_concerns(user):
    """The concerns of `user`'s organisations, with what their pages show."""
    return safeguarding.concerns_for(user).select_related(
        "organisation", "session", "session__workshop", "raised_by", "handled_by"
    )


class ConcernFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ConcernStatus.choices)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=lambda request: visible_organisations(request.user, SAFEGUARDING),
    )

    class Meta:
        model = SafeguardingConcern
        fields = ["status", "organisation"]


class ConcernIndexView(IndexView):
    """Newest first (the model's order); open concerns stand out in the status column."""

    def get_base_queryset(self):
        return staff_concerns(self.request.user)


class ConcernInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(staff_concerns(self.request.user), pk=self.pk)

    def get_edit_url(self):
        if self.user_has_permission_for_instance("change", self.object):
            return super().get_edit_url()
        return None

    def get_fields_context(self):
        return [
            {"label": label, "value": value, "component": None}
            for label, value in concern_rows(self.object)
        ]


class ConcernForm(WagtailAdminModelForm):
    class Meta:
        model = SafeguardingConcern
        fields = ["status", "outcome"]
        widgets = {"status": forms.RadioSelect}


class ConcernEditView(EditView):
    """Change a concern's status and the action taken; the page shows the concern above."""

    template_name = "meetings/admin/concern_edit.html"

    def get_queryset(self):
        return staff_concerns(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["concern_rows"] = concern_rows(SafeguardingConcern.objects.get(pk=self.object.pk))
        return context

    def save_instance(self):
        # The form already copied the new status onto `self.object`: compare with the stored one.
        stored = staff_concerns(self.request.user).get(pk=self.object.pk)
        concern = safeguarding.update_concern(
            stored,
            self.request.user,
            status=self.form.cleaned_data["status"],
            outcome=self.form.cleaned_data["outcome"],
        )
        log(instance=concern, action="wagtail.edit", user=self.request.user)
        return concern


class ConcernViewSet(ModelViewSet):
    model = SafeguardingConcern
    icon = "warning"
    menu_label = _("Safeguarding concerns")
    menu_order = 100
    name = "meetings_concerns"
    url_prefix = "meetings/concerns"
    index_view_class = ConcernIndexView
    edit_view_class = ConcernEditView
    inspect_view_class = ConcernInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ConcernFilterSet

    def get_form_class(self, for_update=False):
        return ConcernForm

    list_display = [
        "session",
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda concern: concern.status == ConcernStatus.OPEN,
            sort_key="status",
        ),
        Column(
            "raised_at",
            label=_("Raised"),
            accessor=lambda concern: when_label(concern.raised_at, concern),
            sort_key="raised_at",
        ),
        Column("raised_by", label=_("Raised by"), accessor=lambda c: person_label(c.raised_by)),
        Column("organisation", label=_("Organisation")),
    ]


class OpenConcernsPanel(Component):
    """The admin home's count of safeguarding concerns nobody has picked up yet, linking to them;
    nothing at all when there are none."""

    name = "open_safeguarding_concerns"
    order = 70
    template_name = "meetings/admin/concerns_panel.html"

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self):
        return safeguarding.open_concerns_for(self.user).count()

    def render_html(self, parent_context=None):
        if not self.count:
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        return {
            "count": self.count,
            "url": f"{reverse('meetings_concerns:index')}?status={ConcernStatus.OPEN}",
        }


# --- Signposting categories and local services ------------------------------------------------


class OrganisationChoiceForm(WagtailAdminModelForm):
    """The organisation is one of the user's own (chosen for them when they have one), and stays
    as it is once saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = visible_organisations(self.for_user, SAFEGUARDING)
        if self.instance.pk:
            field.disabled = True
        elif field.queryset.count() == 1:
            field.initial = field.queryset.get().pk


class SignpostingCategoryForm(OrganisationChoiceForm):
    class Meta:
        model = SignpostingCategory
        fields = ["organisation", "name", "sort_order", "active"]


class LocalServiceForm(OrganisationChoiceForm):
    website = forms.URLField(
        label=LocalService._meta.get_field("website").verbose_name,
        max_length=LocalService._meta.get_field("website").max_length,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = LocalService
        fields = [
            "organisation",
            "name",
            "description",
            "phone",
            "website",
            "opening_hours",
            "sort_order",
        ]


class OrganisationListFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=lambda request: visible_organisations(request.user, SAFEGUARDING),
    )


class CategoryFilterSet(OrganisationListFilterSet):
    class Meta:
        model = SignpostingCategory
        fields = ["organisation", "active"]


class LocalServiceFilterSet(OrganisationListFilterSet):
    class Meta:
        model = LocalService
        fields = ["organisation"]


class ScopedIndexView(IndexView):
    """Rows of the user's own organisations, in the model's order (organisation, then order)."""

    def get_base_queryset(self):
        return scope(self.model._default_manager.all(), self.request.user).select_related(
            "organisation"
        )


class ScopedEditView(ScopedObjectMixin, EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, DeleteView):
    pass


class OrganisationListViewSet(ModelViewSet):
    """A list an organisation's staff keep for their own organisations: rows scoped to them, the
    organisation chosen from theirs, no copying. Subclasses give the model, menu entry, form
    (`admin_form_class`), filters and columns."""

    admin_form_class = None
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return self.admin_form_class


class SignpostingCategoryViewSet(OrganisationListViewSet):
    model = SignpostingCategory
    icon = "list-ul"
    menu_label = _("Signposting categories")
    menu_order = 200
    name = "meetings_signposting"
    url_prefix = "meetings/signposting"
    admin_form_class = SignpostingCategoryForm
    filterset_class = CategoryFilterSet
    list_display = [
        "name",
        Column("organisation", label=_("Organisation")),
        BooleanColumn("active", label=_("Offered in debriefs")),
        Column("sort_order", label=_("Order"), sort_key="sort_order"),
    ]


class LocalServiceViewSet(OrganisationListViewSet):
    model = LocalService
    icon = "site"
    menu_label = _("Local services")
    menu_order = 300
    name = "meetings_local_services"
    url_prefix = "meetings/local-services"
    delete_view_class = ScopedDeleteView
    admin_form_class = LocalServiceForm
    filterset_class = LocalServiceFilterSet
    list_display = [
        "name",
        Column("phone", label=_("Phone")),
        Column("organisation", label=_("Organisation")),
        Column("sort_order", label=_("Order"), sort_key="sort_order"),
    ]


class SafeguardingGroup(ModelViewSetGroup):
    """The "Safeguarding" menu: the concerns raised in debriefs, and where facilitators point
    people (signposting categories and local services) — of the user's own organisations."""

    menu_label = _("Safeguarding")
    menu_icon = "warning"
    menu_order = 265
    items = [ConcernViewSet, SignpostingCategoryViewSet, LocalServiceViewSet]
