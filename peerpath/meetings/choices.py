"""The states and kinds a session, a booking and a roster place can have."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Booked")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Role(models.TextChoices):
    LEAD = "lead", _("Lead facilitator")
    CO = "co", _("Co-facilitator")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly, on the same weekday (e.g. the second Tuesday)")


class TimeOfDay(models.TextChoices):
    """The finder's time-of-day filter, in the session's own time zone."""

    MORNING = "morning", _("Morning (before 12:00)")
    AFTERNOON = "afternoon", _("Afternoon (12:00–17:00)")
    EVENING = "evening", _("Evening (from 17:00)")


class HowItWent(models.TextChoices):
    """The lead facilitator's word on a session, in its debrief."""

    WELL = "well", _("It went well")
    MIXED = "mixed", _("Mixed: some things to change")
    DIFFICULT = "difficult", _("It was difficult")


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("Open: not yet picked up")
    IN_HAND = "in_hand", _("In hand")
    CLOSED = "closed", _("Closed")
