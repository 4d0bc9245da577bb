"""The Sessions admin: organisation staff list, create, edit, inspect and cancel their own
organisation's sessions, and manage their series.

Every view reads through `permissions.scope`, so another organisation's session is a 404; the
permission policies (`permissions.py`) decide what a session's state allows. Saving is the forms'
(`admin_forms.py`), which call the services; these views only show refusals as form errors.
"""

import zoneinfo

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

from peerpath.organisations.roles import SESSIONS
from peerpath.organisations.scope import visible_organisations

from . import scheduling
from .admin_forms import (
    CancelSessionForm,
    SeriesForm,
    SessionForm,
    shared_time_zone,
    workshops_for,
)
from .choices import BookingStatus, Mode, SessionStatus
from .models import Booking, Session, SessionSeries
from .permissions import scope
from .quality_admin import QualityViewSet
from .record_admin import RecordViewSet
from .refusals import Refused


def local_start_label(session):
    """The session's start in its own time zone, naming the zone."""
    return f"{date_format(session.local_start, 'D j M Y, H:i')} ({session.time_zone})"


def places_label(session):
    if session.capacity is None:
        return _("Drop-in")
    return f"{session.places_taken}/{session.capacity}"


def staff_sessions(user):
    """The sessions of `user`'s organisations, with what the listing shows."""
    return scope(Session.objects.all(), user).select_related("workshop", "organisation")


# --- Sessions -------------------------------------------------------------------------------


class SessionFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=lambda request: visible_organisations(request.user, SESSIONS),
    )
    workshop = django_filters.ModelChoiceFilter(
        label=_("Workshop"), queryset=lambda request: workshops_for(request.user)
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices)
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        empty_label=_("Any time"),
    )
    flagged = django_filters.BooleanFilter(
        label=_("Roster problem"),
        method="filter_flagged",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Session
        fields = ["organisation", "workshop", "status"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gt=now)
        if value == "past":
            return queryset.filter(ends_at__lte=now)
        return queryset

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(roster_problem="") if value else queryset.filter(roster_problem="")


class RosterFlagColumn(Column):
    """The roster problem, with a warning icon, when the daily check (or an edit) found one."""

    cell_template_name = "meetings/admin/roster_flag_cell.html"


class WorkshopTitleSearchMixin:
    """Listings of sessions and series search by their workshop's title."""

    def search_queryset(self, queryset):
        query = (self.search_query or "").strip()
        if not query:
            return queryset
        return queryset.filter(workshop__title__icontains=query)


class SessionIndexView(WorkshopTitleSearchMixin, IndexView):
    def get_base_queryset(self):
        return staff_sessions(self.request.user).annotate(
            waiting_count=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
            has_bookings=Exists(Booking.objects.filter(session=OuterRef("pk"))),
        )

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset)
        # Upcoming first, soonest first; then what has passed, most recent first.
        now = timezone.now()
        return queryset.annotate(
            past=Case(
                When(ends_at__gt=now, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by(
            "past",
            Case(When(ends_at__gt=now, then=F("starts_at"))).asc(),
            F("starts_at").desc(),
            "pk",
        )

    def can(self, action, session):
        """Whether `action` applies to a listed session. Every row is already in the user's
        scope, so only the model permission and the session's state are asked (no query)."""
        return self.user_has_permission(action) and self.permission_policy.allows(action, session)

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self.can("change", instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self.can("delete", instance) else None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.can("change", instance):
            buttons.append(
                MenuItem(
                    _("Cancel session"),
                    url=reverse("meetings_sessions:cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=25,
                )
            )
        return buttons


class ScopedObjectMixin:
    """Another organisation's session or series is not found (404), whatever the permissions."""

    def get_queryset(self):
        return scope(self.model._default_manager.all(), self.request.user)


def cancel_button(session):
    return HeaderButton(
        _("Cancel session"),
        url=reverse("meetings_sessions:cancel", args=[session.pk]),
        icon_name="cross",
    )


class SessionClosedMixin:
    """A cancelled or completed session is read-only: its page says what happened."""

    def refuse_if_closed(self):
        session = self.get_object()
        if session.status == SessionStatus.SCHEDULED:
            return None
        messages.warning(
            self.request,
            _("This session is %(status)s: it can no longer be changed.")
            % {"status": session.get_status_display().lower()},
        )
        return redirect(self.inspect_url_name, session.pk)


class ServiceRefusalMixin:
    """A refusal from the services while saving (a certificate lapsed a moment ago, a booking
    took the last place) becomes a form error; the transaction has rolled everything back."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as error:
            if isinstance(self, CreateView):
                # The row was rolled back: the form shows a new session again, not a saved one.
                form.instance.pk = None
            form.add_error(None, error.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class SessionTimeZoneMixin:
    """Booking opens and closes are shown and read in the session's own time zone, like its
    start, not in the admin user's: a London coordinator of a New York group means New York
    time. (A new session uses its user's organisations' zone when they share one.)"""

    def session_time_zone(self):
        return shared_time_zone(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        zone = self.session_time_zone()
        if zone is None:
            return super().dispatch(request, *args, **kwargs)
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        return response


class SessionCreateView(SessionTimeZoneMixin, ServiceRefusalMixin, CreateView):
    pass


class SessionEditView(
    SessionTimeZoneMixin, ServiceRefusalMixin, SessionClosedMixin, ScopedObjectMixin, EditView
):
    def session_time_zone(self):
        session = scope(Session.objects.all(), self.request.user).filter(pk=self.kwargs["pk"])
        return session.values_list("time_zone", flat=True).first()

    def get(self, request, *args, **kwargs):
        return self.refuse_if_closed() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.refuse_if_closed() or super().post(request, *args, **kwargs)

    @cached_property
    def header_buttons(self):
        return [cancel_button(self.object)]


class SessionDeleteView(ScopedObjectMixin, DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if self.user_has_permission("delete") and not self.user_has_permission_for_instance(
            "delete", self.object
        ):
            messages.error(
                request,
                _(
                    "Only a scheduled session nobody has booked can be deleted. Cancel it with "
                    "a reason instead: everyone who booked is told."
                ),
            )
            return redirect("meetings_sessions:inspect", self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class SessionInspectView(InspectView):
    """A session's details, its roster and its bookings (with contact details, which staff need
    to tell people of changes: shown here only, never in the listing)."""

    template_name = "meetings/admin/session_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(staff_sessions(self.request.user), pk=self.pk)

    def get_edit_url(self):
        if self.user_has_permission_for_instance("change", self.object):
            return super().get_edit_url()
        return None

    def get_delete_url(self):
        if self.user_has_permission_for_instance("delete", self.object):
            return super().get_delete_url()
        return None

    @cached_property
    def header_buttons(self):
        if self.user_has_permission_for_instance("change", self.object):
            return [cancel_button(self.object)]
        return []

    def get_fields_context(self):
        session = self.object
        rows = [
            (_("Workshop"), session.workshop.title),
            (_("Organisation"), session.organisation),
            (_("Starts (local time)"), local_start_label(session)),
            (_("Duration (minutes)"), session.duration_minutes),
            (_("Held"), session.get_mode_display()),
        ]
        if session.mode == Mode.IN_PERSON:
            rows += [(_("Venue"), session.venue_name), (_("Address"), session.address)]
        else:
            rows.append((_("Joining link"), session.joining_link))
        rows += [
            (_("Accessibility"), session.accessibility_notes or "—"),
            (_("Places taken"), places_label(session)),
            (_("Status"), session.get_status_display()),
        ]
        if session.moved_from:
            rows.append(
                (
                    _("Moved from"),
                    date_format(
                        timezone.localtime(session.moved_from, session.zone), "D j M Y, H:i"
                    ),
                )
            )
        if session.is_cancelled:
            rows.append((_("Reason for cancelling"), session.cancellation_reason))
        if session.roster_problem:
            rows.append((_("Roster problem"), session.roster_problem))
        return [{"label": label, "value": value, "component": None} for label, value in rows]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roster"] = self.object.roster.select_related("facilitator").order_by("-role")
        context["bookings"] = (
            self.object.bookings.exclude(status=BookingStatus.CANCELLED)
            .select_related("user")
            .order_by("status", "created_at", "pk")
        )
        return context


class CancelSessionView(WagtailAdminTemplateMixin, FormView):
    """Cancel a scheduled session with a reason; everyone booked or waiting is told."""

    template_name = "meetings/admin/cancel_session.html"
    form_class = CancelSessionForm
    page_title = _("Cancel session")
    header_icon = "cross"

    def dispatch(self, request, *args, **kwargs):
        if not policy_registry.get_by_type(Session).user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.session = get_object_or_404(staff_sessions(request.user), pk=kwargs["pk"])
        if self.session.status != SessionStatus.SCHEDULED:
            messages.warning(
                request,
                _("This session is %(status)s: it cannot be cancelled.")
                % {"status": self.session.get_status_display().lower()},
            )
            return redirect("meetings_sessions:inspect", self.session.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        context["inspect_url"] = reverse("meetings_sessions:inspect", args=[self.session.pk])
        return context

    def form_valid(self, form):
        try:
            scheduling.cancel_session(self.session, form.cleaned_data["reason"])
        except Refused as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Session cancelled: everyone who booked or was waiting is being told."),
        )
        return redirect("meetings_sessions:index")


# A list of the user's own workshops, not the page chooser, which would browse every page.
WORKSHOP_PANEL = FieldPanel("workshop", widget=forms.Select)
WHERE_PANELS = [
    FieldPanel("mode"),
    FieldRowPanel([FieldPanel("venue_name"), FieldPanel("address")]),
    FieldPanel("accessibility_notes"),
    FieldPanel("joining_link"),
]
ROSTER_PANEL = MultiFieldPanel(
    [FieldPanel("lead"), FieldPanel("co_facilitators")], heading=_("Roster")
)


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    menu_order = 100
    name = "meetings_sessions"
    url_prefix = "meetings/sessions"
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    inspect_view_class = SessionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = SessionFilterSet
    search_fields = ["workshop__title"]
    list_display = [
        "workshop",
        Column(
            "starts_at",
            label=_("Starts (local time)"),
            accessor=local_start_label,
            sort_key="starts_at",
        ),
        Column("organisation", label=_("Organisation")),
        Column("mode", label=_("Held"), accessor="get_mode_display"),
        Column("places", label=_("Places taken"), accessor=places_label),
        Column("waiting_count", label=_("Waiting")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        RosterFlagColumn("roster_problem", label=_("Roster")),
    ]
    edit_handler = ObjectList(
        [
            WORKSHOP_PANEL,
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("date"), FieldPanel("start_time")]),
                    FieldPanel("duration_minutes"),
                ],
                heading=_("When"),
            ),
            MultiFieldPanel(WHERE_PANELS, heading=_("Where")),
            MultiFieldPanel(
                [
                    FieldPanel("capacity"),
                    FieldRowPanel(
                        [FieldPanel("booking_opens_at"), FieldPanel("booking_closes_at")]
                    ),
                ],
                heading=_("Booking"),
            ),
            ROSTER_PANEL,
        ],
        base_form_class=SessionForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("cancel/<int:pk>/", CancelSessionView.as_view(), name="cancel"),
        ]


# --- Series -----------------------------------------------------------------------------------


def series_start_label(series):
    return f"{series.start_time:%H:%M} ({series.time_zone})"


class SeriesFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=lambda request: visible_organisations(request.user, SESSIONS),
    )
    workshop = django_filters.ModelChoiceFilter(
        label=_("Workshop"), queryset=lambda request: workshops_for(request.user)
    )

    class Meta:
        model = SessionSeries
        fields = ["organisation", "workshop", "frequency"]


class SeriesIndexView(WorkshopTitleSearchMixin, IndexView):
    def get_base_queryset(self):
        return scope(SessionSeries.objects.all(), self.request.user).select_related(
            "workshop", "organisation"
        )


class SeriesEditView(ServiceRefusalMixin, ScopedObjectMixin, EditView):
    pass


class SeriesCreateView(ServiceRefusalMixin, CreateView):
    pass


class SeriesViewSet(ModelViewSet):
    model = SessionSeries
    icon = "repeat"
    menu_label = _("Series")
    menu_order = 200
    name = "meetings_series"
    url_prefix = "meetings/series"
    index_view_class = SeriesIndexView
    add_view_class = SeriesCreateView
    edit_view_class = SeriesEditView
    copy_view_enabled = False
    filterset_class = SeriesFilterSet
    search_fields = ["workshop__title"]
    list_display = [
        "workshop",
        Column("frequency", label=_("Repeats"), accessor="get_frequency_display"),
        Column("start_time", label=_("Start (local time)"), accessor=series_start_label),
        Column("starts_on", label=_("First date"), sort_key="starts_on"),
        Column("ends_on", label=_("Last date")),
        Column("organisation", label=_("Organisation")),
        Column("mode", label=_("Held"), accessor="get_mode_display"),
    ]
    edit_handler = ObjectList(
        [
            WORKSHOP_PANEL,
            MultiFieldPanel(
                [
                    FieldPanel("frequency"),
                    FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                    FieldRowPanel([FieldPanel("start_time"), FieldPanel("duration_minutes")]),
                ],
                heading=_("When"),
            ),
            MultiFieldPanel(WHERE_PANELS, heading=_("Where")),
            MultiFieldPanel(
                [
                    FieldPanel("capacity"),
                    FieldRowPanel(
                        [
                            FieldPanel("booking_opens_days_before"),
                            FieldPanel("booking_closes_hours_before"),
                        ]
                    ),
                ],
                heading=_("Booking"),
            ),
            ROSTER_PANEL,
        ],
        base_form_class=SeriesForm,
    )


class SessionsGroup(ModelViewSetGroup):
    """The "Sessions" menu: one-off and series sessions of the user's organisations."""

    menu_label = _("Sessions")
    menu_icon = "date"
    menu_order = 260
    items = [SessionViewSet, SeriesViewSet, QualityViewSet, RecordViewSet]
