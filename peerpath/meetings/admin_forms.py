"""The Wagtail admin forms for sessions and series: what staff may choose, and what saving does.

The workshop choices are the workshops of the user's own organisations (`workshops_for`); the
roster offers the workshop's eligible facilitators and re-checks whoever is posted with the roster
rule (`roster.facilitator_problem`), so an id typed by hand gets the rule's message, not a place.
Saving goes through the services: a new start moves the session (`scheduling.move_session`: people
are told), raised capacity moves the waiting list up (`booking.places_added`), a series lists its
dates (`scheduling.extend_series`) and shares its roster (`roster.set_series_roster`).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

from peerpath.certificates.access import practising_holder_ids
from peerpath.form_fields import ModelChoiceField, ModelMultipleChoiceField
from peerpath.organisations.admin_views import learner_label
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.roles import SESSIONS
from peerpath.organisations.scope import organisations_for, visible_organisations
from peerpath.workshops.models import WorkshopIndexPage, WorkshopPage

from . import booking, roster, scheduling
from .choices import Role
from .models import Session

NOT_A_MEMBER = _(
    "Choose someone from the list: only certified members of the workshop's organisation can "
    "facilitate its sessions."
)


def workshops_for(user):
    """Workshop pages (live or draft) of `user`'s organisations; of every organisation for
    superusers. A workshop outside any organisation's index has nobody to run it."""
    indexes = WorkshopIndexPage.objects.filter(organisation__isnull=False)
    organisations = organisations_for(user, SESSIONS)
    if organisations is not None:
        indexes = indexes.filter(organisation__in=organisations)
    condition = Q(pk__in=[])
    for index in indexes:
        condition |= WorkshopPage.objects.child_of_q(index)
    return WorkshopPage.objects.filter(condition).order_by("title")


def members_for(user):
    """Active members of `user`'s organisations (everyone active, for superusers): whom the
    roster fields accept, so that the rule, not "invalid choice", explains a refusal."""
    people = get_user_model().objects.filter(is_active=True)
    organisations = organisations_for(user, SESSIONS)
    if organisations is None:
        return people
    return people.filter(
        pk__in=OrganisationMembership.objects.filter(organisation__in=organisations).values(
            "user_id"
        )
    )


def offered_facilitators(user, workshop=None):
    """Whom the roster fields list: the workshop's eligible facilitators, or, before a workshop
    is chosen, everyone eligible for any of the user's workshops."""
    if workshop is not None:
        return roster.eligible_facilitators(workshop)
    programmes = set(workshops_for(user).values_list("programme_id", flat=True)) - {None}
    certified = Q(pk__in=[])
    for programme_id in programmes:
        certified |= Q(pk__in=practising_holder_ids(programme_id))
    return members_for(user).filter(certified)


def shared_time_zone(user):
    """The time zone all of `user`'s organisations meet in, or None if they differ."""
    zones = set(visible_organisations(user, SESSIONS).values_list("time_zone", flat=True))
    return zones.pop() if len(zones) == 1 else None


class FacilitatorChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return learner_label(obj)


class FacilitatorsChoice(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return learner_label(obj)


def lead_field():
    return FacilitatorChoice(
        label=_("Lead facilitator"),
        queryset=get_user_model().objects.none(),
        error_messages={"invalid_choice": NOT_A_MEMBER},
        help_text=_("Only people with a practising certificate for the workshop's programme."),
    )


def co_facilitators_field():
    return FacilitatorsChoice(
        label=_("Co-facilitators"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_A_MEMBER},
    )


class RosterFormMixin:
    """The roster fields (`lead`, `co_facilitators`) of a session or series form."""

    def set_up_roster_fields(self, workshop, current):
        accepted = members_for(self.for_user)
        offered = [
            (person.pk, learner_label(person))
            for person in offered_facilitators(self.for_user, workshop)
        ]
        for name in ("lead", "co_facilitators"):
            self.fields[name].queryset = accepted
        # The lists offer only those who qualify; the fields accept any member, so that posting
        # someone else gets the roster rule's own explanation (see `clean_roster`).
        self.fields["lead"].widget.choices = [("", "---------"), *offered]
        self.fields["co_facilitators"].widget.choices = offered
        if current is not None:
            places = list(current.select_related("facilitator"))
            leads = [place.facilitator_id for place in places if place.role == Role.LEAD]
            self.initial.setdefault("lead", leads[0] if leads else None)
            self.initial.setdefault(
                "co_facilitators",
                [place.facilitator_id for place in places if place.role == Role.CO],
            )

    def clean_roster(self, workshop):
        lead = self.cleaned_data.get("lead")
        co_facilitators = list(self.cleaned_data.get("co_facilitators") or [])
        if workshop is None:
            return
        if lead is not None:
            problem = roster.facilitator_problem(lead, workshop)
            if problem:
                self.add_error("lead", problem)
        for person in co_facilitators:
            problem = roster.facilitator_problem(person, workshop)
            if problem:
                self.add_error("co_facilitators", problem)
        if lead is not None and lead in co_facilitators:
            self.add_error(
                "co_facilitators",
                _("%(name)s is already the lead facilitator.") % {"name": learner_label(lead)},
            )

    def set_up_workshop_field(self):
        field = self.fields["workshop"]
        field.queryset = workshops_for(self.for_user)
        field.error_messages["invalid_choice"] = _(
            "Choose one of your organisation's workshops from the list."
        )
        if self.instance.pk:
            # A session's bookings, roster and messages belong to its workshop: it stays put.
            field.disabled = True

    def new_start_help(self):
        """Name the time zone start times are read in, when the user's organisations share one."""
        zone = shared_time_zone(self.for_user)
        if zone:
            return _("Local time in %(zone)s, e.g. 19:00.") % {"zone": zone}
        return _("Local time in the time zone of the workshop's organisation, e.g. 19:00.")

    def changed_model_fields(self):
        """The model fields this form edits: saved alone, so that counts kept by the booking
        service (places taken) are never overwritten with the values read when the form opened."""
        names = {field.name for field in self.instance._meta.concrete_fields}
        return [name for name in self.fields if name in names and name != "workshop"]


class SessionForm(RosterFormMixin, WagtailAdminModelForm):
    """A one-off session, or one date of a series: when, where, how many, and who leads it."""

    date = forms.DateField(label=_("Date"), widget=AdminDateInput)
    start_time = forms.TimeField(label=_("Start time"), widget=AdminTimeInput)
    lead = lead_field()
    co_facilitators = co_facilitators_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance
        self.set_up_workshop_field()
        if session.pk:
            local = session.local_start
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("start_time", local.time().replace(second=0, microsecond=0))
            self.fields["start_time"].help_text = _(
                "Local time in %(zone)s. Changing the date or time tells everyone who booked."
            ) % {"zone": session.time_zone}
            self.capacity_before = session.capacity
            self.set_up_roster_fields(session.workshop, session.roster.all())
        else:
            self.fields["start_time"].help_text = self.new_start_help()
            self.capacity_before = None
            self.set_up_roster_fields(None, None)
        self.new_start = None

    def time_zone(self, workshop):
        if self.instance.pk:
            return self.instance.time_zone
        organisation = workshop.organisation if workshop is not None else None
        return organisation.time_zone if organisation is not None else None

    def clean(self):
        cleaned = super().clean()
        workshop = cleaned.get("workshop") or (self.instance.workshop if self.instance.pk else None)
        self.clean_roster(workshop)
        date, start_time = cleaned.get("date"), cleaned.get("start_time")
        zone = self.time_zone(workshop) if workshop is not None else None
        if date is None or start_time is None or zone is None:
            return cleaned
        starts_at = scheduling.local_datetime(date, start_time, zone)
        if self.instance.pk and starts_at == self.instance.starts_at:
            return cleaned
        if starts_at <= timezone.now():
            self.add_error("date", _("Choose a date and time that have not passed yet."))
            return cleaned
        if self.instance.pk:
            # Moved on save, through the scheduling service, which tells everyone booked.
            self.new_start = starts_at
        else:
            self.instance.starts_at = starts_at
        return cleaned

    def save(self, commit=True):
        """Save the session, then move it, add places and set its roster through the services.
        Raises `scheduling.ScheduleError` or `roster.RosterRefused` (the view shows them)."""
        session = self.instance
        if session.pk is None:
            session = super().save(commit=commit)
        else:
            self.save_changes(session)
        if self.new_start is not None:
            session = scheduling.move_session(session, self.new_start)
        if session.capacity is not None and (
            self.capacity_before is not None and session.capacity > self.capacity_before
        ):
            booking.places_added(session)
        self.save_roster(session)
        self.instance = session
        return session

    def save_changes(self, session):
        with transaction.atomic():
            taken = (
                Session.objects.select_for_update()
                .filter(pk=session.pk)
                .values_list("places_taken", flat=True)
                .get()
            )
            if session.capacity is not None and session.capacity < taken:
                raise scheduling.ScheduleError(
                    _("More people than that already have a place. Cancel some first.")
                )
            if session.capacity is None and taken:
                raise scheduling.ScheduleError(
                    _("People have booked places, so this cannot become a drop-in session.")
                )
            session.save(update_fields=self.changed_model_fields())

    def save_roster(self, session):
        roster.set_session_roster(
            session, self.cleaned_data["lead"], self.cleaned_data["co_facilitators"]
        )


class SeriesForm(RosterFormMixin, WagtailAdminModelForm):
    """A recurring schedule: its dates, its details for every session, and its roster."""

    lead = lead_field()
    co_facilitators = co_facilitators_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        series = self.instance
        self.set_up_workshop_field()
        if series.pk:
            self.fields["start_time"].help_text = _(
                "Local time in %(zone)s. Changing it moves the future sessions and tells "
                "everyone who booked them."
            ) % {"zone": series.time_zone}
            self.set_up_roster_fields(series.workshop, series.roster.all())
        else:
            self.fields["start_time"].help_text = self.new_start_help()
            self.set_up_roster_fields(None, None)

    def clean(self):
        cleaned = super().clean()
        workshop = cleaned.get("workshop") or (self.instance.workshop if self.instance.pk else None)
        self.clean_roster(workshop)
        ends_on = cleaned.get("ends_on")
        if ends_on is not None and not self.instance.pk and ends_on < timezone.localdate():
            self.add_error("ends_on", _("The last date has already passed."))
        return cleaned

    def save(self, commit=True):
        """Save the series, list its dates and give them its roster; on an edit, its future
        sessions take the new details (and times: people booked are told)."""
        series = self.instance
        lead = self.cleaned_data["lead"]
        co_facilitators = list(self.cleaned_data["co_facilitators"])
        if series.pk is None:
            series = super().save(commit=commit)
            scheduling.extend_series(series)
            roster.set_series_roster(series, lead, co_facilitators)
        else:
            series.save(update_fields=self.changed_model_fields())
            roster.set_series_roster(series, lead, co_facilitators)
            scheduling.update_future_sessions(series)
        return series


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to everyone who booked or is waiting, in the message they are sent."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason: it is shown to everyone who booked."))
        return reason
