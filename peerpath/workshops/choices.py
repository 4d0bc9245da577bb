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
