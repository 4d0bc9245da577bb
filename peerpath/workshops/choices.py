"""The kinds of workshop and who they are for: the page's fields and the listing's filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    SUPPORT_GROUP = "support_group", _("Support group")
    WORKSHOP = "workshop", _("Workshop")
    MENTORING = "mentoring", _("One-to-one mentoring")
    ONLINE_GROUP = "online_group", _("Online group")


class Audience(models.TextChoices):
    OPEN = "open", _("Open to all adults")
    LIVED_EXPERIENCE = "lived_experience", _("People with lived experience")
    CARERS = "carers", _("Carers, family and friends")
    YOUNG_PEOPLE = "young_people", _("Young people (16–25)")
    FACILITATORS = "facilitators", _("Peer facilitators")


class LogRole(models.TextChoices):
    """What a facilitator did in a session they logged."""

    LEAD = "lead", _("Lead facilitator")
    CO = "co", _("Co-facilitator")


class Confirmation(models.TextChoices):
    """Where a facilitation log entry stands: certification requirements count confirmed entries,
    and self-reported ones only where the programme allows."""

    SELF_REPORTED = "self_reported", _("Self-reported")
    AWAITING = "awaiting", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    QUERIED = "queried", _("Queried")
