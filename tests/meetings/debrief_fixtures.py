"""What the debrief, safeguarding and signposting tests share: a session that ended, led by
`facilitator` with a co-facilitator, and helpers to file its debrief."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings import debriefs
from peerpath.meetings.choices import SessionStatus
from peerpath.meetings.models import (
    Debrief,
    SafeguardingConcern,
    SignpostingCategory,
)
from peerpath.workshops.models import FacilitationLogEntry

from .factories import make_booking, make_facilitator, make_session, put_on_roster

# The fixtures, for `import *`; the helpers are imported by name.
__all__ = ["categories", "co_facilitator", "ended"]

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
CHECKS = [
    "Group agreements read at the start",
    "A check-out round at the end",
    "Resources and signposting shared",
]


@pytest.fixture
def co_facilitator(organisation, programme):
    return make_facilitator(organisation, programme, first_name="Priya", last_name="Shah")


@pytest.fixture
def ended(workshop, facilitator, co_facilitator):
    """A session that ended an hour ago, still to complete: `facilitator` led it, with a
    co-facilitator; two people booked and came, and one walked in."""
    session = make_session(workshop, starts_at=timezone.now() - 3 * HOUR, walk_ins=1)
    put_on_roster(session, facilitator, "lead")
    put_on_roster(session, co_facilitator, "co")
    for name in ("Sam", "Alex"):
        make_booking(session, first_name=name, attended=True)
    return session


@pytest.fixture
def categories(organisation):
    return list(SignpostingCategory.objects.filter(organisation=organisation).order_by("pk"))


def debrief_url(session):
    return reverse("meetings:debrief", args=[session.pk])


def form_data(categories=(), **overrides):
    data = {
        "attendance": "3",
        "how_it_went": "well",
        "notes": "A warm group; the check-out ran long.",
        "fidelity": CHECKS[:2],
        "concern": "no",
        "concern_summary": "",
    }
    if categories:
        data["signposting"] = [str(category.pk) for category in categories]
    else:
        data["no_signposting"] = "on"
    data.update(overrides)
    return data


def file(session, user, **overrides):
    fields = {
        "attendance": 3,
        "how_it_went": "well",
        "notes": "",
        "signposting": [],
        "fidelity": [],
    }
    fields.update(overrides)
    return debriefs.file_debrief(session, user, **fields)


def nothing_recorded(session):
    session.refresh_from_db()
    return (
        not Debrief.objects.exists()
        and not FacilitationLogEntry.objects.exists()
        and not SafeguardingConcern.objects.exists()
        and session.status == SessionStatus.SCHEDULED
    )
