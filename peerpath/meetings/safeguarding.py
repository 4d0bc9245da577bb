"""Safeguarding concerns after they are raised (`debriefs.py` raises them): who sees them and how
their status changes.

Only the staff of the concern's organisation see it (superusers see all), through the admin
(`safeguarding_admin.py`). Changing its status or the action taken records who did it and, when
the status changed, when.
"""

from django.utils import timezone

from .choices import ConcernStatus
from .models import SafeguardingConcern
from .permissions import scope


def concerns_for(user):
    """The safeguarding concerns of `user`'s organisations (all, for superusers)."""
    return scope(SafeguardingConcern.objects.all(), user)


def open_concerns_for(user):
    """The concerns of `user`'s organisations nobody has picked up yet."""
    return concerns_for(user).filter(status=ConcernStatus.OPEN)


def update_concern(concern, user, *, status, outcome, now=None):
    """Set `concern`'s status and the action taken, by `user`; returns the concern."""
    now = now or timezone.now()
    if status != concern.status or concern.status_changed_at is None:
        concern.status_changed_at = now
    concern.status = status
    concern.outcome = outcome.strip()
    concern.handled_by = user
    concern.save(update_fields=["status", "outcome", "handled_by", "status_changed_at"])
    return concern
