"""Sessions: the dated meetings of a workshop, who leads them, who booked, who came.

A `SessionSeries` is a recurring schedule (weekly, fortnightly, or monthly on the Nth weekday);
`scheduling.py` turns it into `Session` rows, one per date, so that every meeting, one-off or
recurring, can be booked, cancelled, moved, staffed and completed on its own. Times are stored in
UTC and shown in the session's own time zone (its organisation's); the local weekday and start time
are stored too, so the finder filters on them in the database.

`RosterAssignment` puts a facilitator on a session (`roster.py` decides who may be assigned);
`Booking` is a participant's place or waiting-list entry (`booking.py` is the one place that
changes it). Participants give the least that works: a first name and a way to reach them.
"""

import secrets
import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.organisations.models import Organisation, validate_time_zone
from peerpath.workshops.models import (
    MAX_GROUP_SIZE,
    MAX_SESSION_MINUTES,
    WorkshopPage,
)

from ..choices import (
    BookingStatus,
    Frequency,
    Mode,
    Role,
    SessionStatus,
)

CHECK_IN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHECK_IN_LENGTH = 6


def new_check_in_code():
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_LENGTH))


class MeetingDetails(models.Model):
    """Where and how a meeting happens, shared by a series and each of its sessions."""

    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(5), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Start times are in this zone; by default the organisation's."),
    )
    mode = models.CharField(_("held"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    venue_name = models.CharField(_("venue"), max_length=120, blank=True)
    address = models.TextField(_("address"), max_length=400, blank=True)
    accessibility_notes = models.TextField(
        _("accessibility"),
        max_length=600,
        blank=True,
        help_text=_("Step-free access, hearing loop, quiet room, toilets, parking, transport."),
    )
    joining_link = models.URLField(
        _("joining link"),
        max_length=500,
        blank=True,
        help_text=_(
            "Shown only to people with a place and to the facilitators: never on the public page."
        ),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_GROUP_SIZE)],
        help_text=_("Leave blank for a drop-in session that needs no booking."),
    )

    #: The fields above, which a series gives each of its sessions (`scheduling.py`).
    DETAIL_FIELDS = (
        "duration_minutes",
        "time_zone",
        "mode",
        "venue_name",
        "address",
        "accessibility_notes",
        "joining_link",
        "capacity",
    )

    class Meta:
        abstract = True

    def details(self):
        """The meeting details of this series or session, by field name."""
        return {field: getattr(self, field) for field in self.DETAIL_FIELDS}

    @property
    def is_drop_in(self):
        return self.capacity is None

    @property
    def is_online(self):
        return self.mode == Mode.ONLINE

    def clean(self):
        super().clean()
        errors = {}
        if self.mode == Mode.ONLINE and self.capacity is None:
            # The joining link reaches people only through their booking, never a public page.
            errors["capacity"] = _(
                "An online session needs places: the joining link is sent only to people who book."
            )
        if self.mode == Mode.IN_PERSON and not (self.venue_name and self.address):
            errors["address"] = _("Give the venue and its address for a session held in person.")
        if self.mode == Mode.ONLINE and not self.joining_link:
            errors["joining_link"] = _("Give the joining link for an online session.")
        if errors:
            raise ValidationError(errors)


class SessionSeries(MeetingDetails):
    """A recurring schedule of a workshop, turned into sessions by `scheduling.py`."""

    workshop = models.ForeignKey(
        WorkshopPage, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="series"
    )
    organisation = models.ForeignKey(
        Organisation, editable=False, on_delete=models.CASCADE, related_name="session_series"
    )
    frequency = models.CharField(_("repeats"), max_length=20, choices=Frequency.choices)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(
        _("last date"), null=True, blank=True, help_text=_("Leave blank to keep it going.")
    )
    start_time = models.TimeField(_("start time"), help_text=_("Local time, e.g. 19:00."))
    booking_opens_days_before = models.PositiveSmallIntegerField(
        _("booking opens (days before)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_("Leave blank to open booking as soon as a date is listed."),
    )
    booking_closes_hours_before = models.PositiveSmallIntegerField(
        _("booking closes (hours before)"), default=0, validators=[MaxValueValidator(24 * 14)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series of sessions")
        verbose_name_plural = _("series of sessions")
        ordering = ["starts_on", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="series_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.workshop.title} — {self.get_frequency_display()}"

    def save(self, *args, **kwargs):
        if self.workshop_id and not self.organisation_id:
            self.organisation = self.workshop.organisation
        if not self.time_zone and self.organisation_id:
            self.time_zone = self.organisation.time_zone
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last date cannot be before the first.")})


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Scheduled sessions that have not ended yet."""
        return self.filter(status=SessionStatus.SCHEDULED, ends_at__gt=now or timezone.now())

    def public(self):
        """Sessions of live, publicly viewable workshops."""
        return self.filter(
            workshop__in=WorkshopPage.objects.live().public().values("pk"),
        )

    def led_by(self, user):
        return self.filter(roster__facilitator=user).distinct()


class Session(MeetingDetails):
    """One dated meeting of a workshop, one-off or part of a series."""

    workshop = models.ForeignKey(
        WorkshopPage, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="sessions"
    )
    organisation = models.ForeignKey(
        Organisation, editable=False, on_delete=models.CASCADE, related_name="sessions"
    )
    series = models.ForeignKey(
        SessionSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    # The date the series' rule gave this session, kept when the session is moved, so that
    # extending the series never recreates a date that was moved or cancelled.
    occurrence_date = models.DateField(null=True, editable=False)

    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(editable=False)
    local_weekday = models.PositiveSmallIntegerField(editable=False)  # Monday 0 … Sunday 6
    local_start_minutes = models.PositiveSmallIntegerField(editable=False)  # minutes after 00:00
    moved_from = models.DateTimeField(null=True, blank=True, editable=False)
    # Raised by every change a calendar must pick up (a move, a cancellation): the SEQUENCE of
    # the session's calendar event (RFC 5545), so calendar programs replace the old entry.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    booking_opens_at = models.DateTimeField(
        _("booking opens"), null=True, blank=True, help_text=_("Blank: open now.")
    )
    booking_closes_at = models.DateTimeField(
        _("booking closes"), null=True, blank=True, help_text=_("Blank: when the session starts.")
    )

    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Kept by booking.py under the session's row lock: the finder shows places left without
    # counting bookings, and the constraint below makes overbooking impossible.
    places_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    walk_ins = models.PositiveSmallIntegerField(
        _("walk-ins"), default=0, validators=[MaxValueValidator(MAX_GROUP_SIZE)]
    )
    attendance_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    check_in_code = models.CharField(max_length=CHECK_IN_LENGTH, default=new_check_in_code)
    # Shown in the room at the end: people who came without booking answer the feedback with it,
    # up to as many answers as there were walk-ins (`feedback.py`).
    feedback_code = models.CharField(max_length=CHECK_IN_LENGTH, default=new_check_in_code)
    walk_in_feedback_count = models.PositiveSmallIntegerField(default=0, editable=False)
    feedback_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    debrief_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Set by roster.check_roster: why the roster no longer meets the rule (blank when it does).
    roster_problem = models.CharField(max_length=300, blank=True, editable=False)
    roster_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_date"], name="one_session_per_series_date"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(places_taken__lte=F("capacity")),
                name="session_not_overbooked",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="cancelled_session_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "ends_at"]),
            models.Index(fields=["organisation", "starts_at"]),
        ]

    def __str__(self):
        return f"{self.workshop.title} — {self.local_start:%a %d %b %Y %H:%M}"

    def save(self, *args, **kwargs):
        self.derive_columns()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"starts_at", "duration_minutes", "time_zone"} & set(
            update_fields
        ):
            kwargs["update_fields"] = set(update_fields) | {
                "ends_at",
                "local_weekday",
                "local_start_minutes",
            }
        super().save(*args, **kwargs)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def places_left(self):
        """Places still free, or None for a drop-in session."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.places_taken)

    @property
    def is_full(self):
        return self.capacity is not None and self.places_taken >= self.capacity

    @property
    def is_cancelled(self):
        return self.status == SessionStatus.CANCELLED

    def derive_columns(self):
        """Set the stored columns that follow from the start, duration and time zone."""
        if self.workshop_id and not self.organisation_id:
            self.organisation = self.workshop.organisation
        if not self.time_zone and self.organisation_id:
            self.time_zone = self.organisation.time_zone
        if self.starts_at and self.duration_minutes and self.time_zone:
            self.ends_at = self.starts_at + timedelta(minutes=self.duration_minutes)
            local = self.local_start
            self.local_weekday = local.weekday()
            self.local_start_minutes = local.hour * 60 + local.minute

    def clean(self):
        super().clean()
        if self.capacity is None and self.pk and self.places_taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "People have booked places, so this cannot become a drop-in session. "
                        "Keep the places, or cancel their bookings first."
                    )
                }
            )
        if (
            self.capacity is not None
            and self.pk
            and self.capacity
            < Session.objects.filter(pk=self.pk).values_list("places_taken", flat=True).first()
        ):
            raise ValidationError(
                {"capacity": _("More people than that already have a place. Cancel some first.")}
            )
        if (
            self.booking_opens_at
            and self.booking_closes_at
            and self.booking_closes_at <= self.booking_opens_at
        ):
            raise ValidationError({"booking_closes_at": _("Booking must close after it opens.")})


class RosterAssignment(models.Model):
    """A facilitator leads or co-facilitates a session. `roster.py` decides who may be assigned."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="roster"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.CASCADE,
        related_name="session_roles",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CO)
    assigned_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("facilitator on the roster")
        verbose_name_plural = _("roster")
        ordering = ["session", "role", "pk"]  # "co" sorts before "lead"; templates list lead first
        constraints = [
            models.UniqueConstraint(
                fields=["session", "facilitator"], name="one_roster_place_per_facilitator"
            ),
            models.UniqueConstraint(
                fields=["session"], condition=Q(role=Role.LEAD), name="one_lead_per_session"
            ),
        ]

    def __str__(self):
        return f"{self.facilitator} — {self.get_role_display()}"


class SeriesFacilitator(models.Model):
    """A facilitator on every session of a series: copied to each session as it is made, and
    checked like any roster place (`roster.set_series_roster`)."""

    series = models.ForeignKey(
        SessionSeries, verbose_name=_("series"), on_delete=models.CASCADE, related_name="roster"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.CASCADE,
        related_name="series_roles",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CO)

    class Meta:
        verbose_name = _("facilitator on the series' roster")
        verbose_name_plural = _("series roster")
        ordering = ["series", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "facilitator"], name="one_series_place_per_facilitator"
            ),
            models.UniqueConstraint(
                fields=["series"], condition=Q(role=Role.LEAD), name="one_lead_per_series"
            ),
        ]

    def __str__(self):
        return f"{self.facilitator} — {self.get_role_display()}"


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITING])

    def confirmed(self):
        return self.filter(status=BookingStatus.CONFIRMED)

    def waiting(self):
        """The waiting list, first come first served."""
        return self.filter(status=BookingStatus.WAITING).order_by("created_at", "pk")


ACTIVE = [BookingStatus.CONFIRMED, BookingStatus.WAITING]


class Booking(models.Model):
    """A participant's place on a session, or their place on its waiting list.

    Holds the least that works: a first name or nickname and one way to reach them (an e-mail
    address or a mobile number), or the account of a signed-in participant. Access needs are
    optional and shown only to the session's facilitators. Contact details are removed a set
    number of days after the session (`privacy.anonymise_past_bookings`); the counts stay.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_bookings",
    )
    first_name = models.CharField(_("first name or nickname"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)  # E.164
    access_needs = models.TextField(_("access needs"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    promoted_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    attended = models.BooleanField(_("came"), default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the session is completed: this participant came to an earlier session of the same
    # workshop (kept after the contact details are removed, for the quality report).
    returning = models.BooleanField(default=False, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False)
                | Q(user__isnull=False)
                | ~Q(email="")
                | ~Q(phone=""),
                name="booking_reachable",
            ),
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status__in=ACTIVE) & ~Q(email=""),
                name="one_active_booking_per_email",
            ),
            models.UniqueConstraint(
                fields=["session", "phone"],
                condition=Q(status__in=ACTIVE) & ~Q(phone=""),
                name="one_active_booking_per_phone",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=ACTIVE) & Q(user__isnull=False),
                name="one_active_booking_per_account",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self):
        return f"{self.display_name} — {self.session}"

    @property
    def display_name(self):
        if self.first_name:
            return self.first_name
        if self.user_id:
            return self.user.first_name or self.user.get_username()
        return _("(removed)")

    @property
    def contact_email(self):
        """Where e-mail about this booking goes: the address given, else the account's."""
        if self.email:
            return self.email
        if self.user_id and self.user.email:
            return self.user.email
        return ""

    @property
    def is_confirmed(self):
        return self.status == BookingStatus.CONFIRMED

    @property
    def is_waiting(self):
        return self.status == BookingStatus.WAITING

    def waiting_position(self):
        """Where this booking stands on its session's waiting list: 1 is next in line."""
        ahead = (
            Booking.objects.filter(session_id=self.session_id)
            .waiting()
            .filter(
                Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
            )
        )
        return ahead.count() + 1
