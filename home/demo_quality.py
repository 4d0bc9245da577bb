"""Demo content for what happens after a session: a few weeks of the Tuesday group's history.

- Riverside and Northside each list local services their facilitators can signpost people to.
- The Tuesday evening group met on each of the last six Tuesdays. The demo facilitator kept the
  register (people who booked, and a few walk-ins), completed each session and filed its debrief:
  how it went, the signposting given, the fidelity checklist. One debrief, four weeks ago, raised a
  safeguarding concern that Riverside's safeguarding lead has since closed.
- Each debrief made the facilitator's log entry; Riverside's editor confirmed the older four, so
  the two most recent still await confirmation (the admin's Sessions → Facilitation record).
- Participants answered the feedback form after most sessions: enough over the six weeks for the
  Quality report to show averages for the group, while the most recent session alone has too few
  answers, so its figures stay hidden.

Sessions, attendance, completion, debriefs, concerns and confirmations go through the meetings
services. The history itself is made up: bookings for past dates (which the booking service
rightly refuses) and the participants' feedback answers (which arrive through one-time links in real
use) are written directly, as the record of what happened.

Idempotent: the history is made only when the Tuesday group has no completed session yet.
"""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from home.demo_meetings import (
    COMMUNITY_CENTRE,
    QUIET_EMAIL_BACKEND,
    SERIES,
    demo_workshop,
    ensure_facilitator,
    one_off_session,
    participant_email,
)
from peerpath.meetings import attendance, debriefs, record, roster, safeguarding
from peerpath.meetings.choices import BookingStatus, ConcernStatus, HowItWent, Role, SessionStatus
from peerpath.meetings.models import Booking, FeedbackResponse, LocalService, Session
from peerpath.meetings.signposting import categories_for
from peerpath.organisations.models import Organisation

EDITOR = "editor@riverside.example"

LOCAL_SERVICES = {
    "riverside": [
        {
            "name": "Riverside Talking Therapies",
            "description": (
                "Free NHS talking therapies for adults registered with a Riverside GP; people "
                "can refer themselves online or by phone."
            ),
            "phone": "01632 960 410",
            "website": "https://talking-therapies.example.org",
            "opening_hours": "Monday to Friday, 9:00 to 17:00",
        },
        {
            "name": "Mill Lane Crisis Café",
            "description": (
                "A calm place to go in the evening when things feel too much, run by peer "
                "workers with a mental-health nurse on shift. No appointment needed."
            ),
            "phone": "01632 960 772",
            "opening_hours": "Every evening, 18:00 to 23:00",
        },
        {
            "name": "Riverside Carers' Centre",
            "description": "Advice, breaks and a support line for family and friends who care.",
            "phone": "01632 960 318",
            "website": "https://carers-centre.example.org",
            "opening_hours": "Monday to Saturday, 10:00 to 16:00",
        },
    ],
    "northside": [
        {
            "name": "Northside Recovery College",
            "description": (
                "Free courses about mental health and recovery, written and taught with people "
                "who have lived experience."
            ),
            "website": "https://recovery-college.example.org",
            "opening_hours": "Term time",
        },
        {
            "name": "Northside Community Mental Health Team",
            "description": "Through a GP referral; the duty worker takes urgent calls.",
            "phone": "01632 960 555",
            "opening_hours": "Monday to Friday, 9:00 to 17:00",
        },
    ],
}

# The last six Tuesdays, oldest first: who booked and came, walk-ins, the debrief, and the feedback
# answers (felt safe, felt heard, would come again; 1–5) with any comment.
TUESDAYS = [
    {
        "weeks_ago": 6,
        "came": ["Priya", "Tom", "Aisha", "Mark"],
        "walk_ins": 1,
        "how_it_went": HowItWent.WELL,
        "notes": "A settled first evening; the group agreed to keep the tea break.",
        "signposting": [],
        "skipped": [],
        "feedback": [(5, 5, 5, ""), (4, 5, 5, ""), (5, 4, 4, "Kind and unhurried.")],
    },
    {
        "weeks_ago": 5,
        "came": ["Priya", "Tom", "Lena", "Mark", "Sam"],
        "walk_ins": 0,
        "how_it_went": HowItWent.WELL,
        "notes": "Good check-in round. Two people asked about talking therapies.",
        "signposting": ["Other local service"],
        "skipped": [],
        "feedback": [(5, 5, 5, ""), (4, 4, 5, ""), (5, 5, 4, "")],
    },
    {
        "weeks_ago": 4,
        "came": ["Priya", "Aisha", "Lena", "Sam"],
        "walk_ins": 2,
        "how_it_went": HowItWent.DIFFICULT,
        "notes": (
            "A heavy evening. We paused the plan for a longer check-in and I stayed on after the "
            "group. Agreements were read late."
        ),
        "signposting": ["Crisis line", "GP or mental-health team"],
        "skipped": ["Group agreements read at the start"],
        "concern": (
            "A participant said they had been struggling to stay safe at night this week. We "
            "talked after the group; they agreed to call the crisis line if it got worse and to "
            "see their GP this week. Passing this on as the protocol asks."
        ),
        "concern_outcome": (
            "Safeguarding lead called the participant the next day (with their agreement); they "
            "have a GP appointment and know the crisis café. Closed."
        ),
        "feedback": [(4, 5, 5, "Thank you for staying late."), (3, 4, 4, "")],
    },
    {
        "weeks_ago": 3,
        "came": ["Priya", "Tom", "Aisha", "Lena", "Mark", "Sam"],
        "walk_ins": 0,
        "how_it_went": HowItWent.MIXED,
        "notes": "Ran ten minutes over; the check-out round was rushed.",
        "signposting": [],
        "skipped": ["A check-out round at the end"],
        "feedback": [(5, 4, 5, ""), (4, 4, 4, "It felt rushed at the end."), (5, 5, 5, "")],
    },
    {
        "weeks_ago": 2,
        "came": ["Tom", "Aisha", "Mark", "Sam"],
        "walk_ins": 1,
        "how_it_went": HowItWent.WELL,
        "notes": "Tried the shorter opening round; people liked it.",
        "signposting": ["Other local service"],
        "skipped": [],
        "feedback": [(5, 5, 5, ""), (5, 4, 5, "")],
    },
    {
        "weeks_ago": 1,
        "came": ["Priya", "Tom", "Lena", "Sam"],
        "walk_ins": 0,
        "how_it_went": HowItWent.WELL,
        "notes": "Calm evening. Next week: planning the summer walk.",
        "signposting": [],
        "skipped": [],
        "feedback": [(5, 5, 5, ""), (4, 5, 4, "")],
    },
]
#: Debriefs of the oldest sessions that Riverside's editor has confirmed.
CONFIRMED = 4


def load(stdout=None):
    """Local services and the Tuesday group's recent history. Messages the services send on the
    way (feedback links to example.org addresses, the concern e-mail) go nowhere."""
    with override_settings(EMAIL_BACKEND=QUIET_EMAIL_BACKEND), transaction.atomic():
        ensure_local_services()
        history = ensure_history(stdout)
    if stdout is not None and history:
        stdout.write(
            f"  after the session: {len(history)} past Tuesday groups with debriefs, feedback "
            "and one closed safeguarding concern (admin: Sessions → Quality)"
        )
    return history


def ensure_local_services():
    for slug, services in LOCAL_SERVICES.items():
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        for order, service in enumerate(services, start=1):
            LocalService.objects.get_or_create(
                organisation=organisation,
                name=service["name"],
                defaults={**service, "sort_order": order},
            )


def ensure_history(stdout=None):
    """The last six Tuesdays of the Tuesday group, made once; returns their sessions."""
    spec = SERIES[0]
    workshop = demo_workshop(spec["workshop"])
    if workshop is None:
        return []
    if Session.objects.filter(workshop=workshop, status=SessionStatus.COMPLETED).exists():
        return []
    facilitator = ensure_facilitator([workshop])
    if facilitator is None:
        if stdout is not None:
            stdout.write("  after the session: no certified demo facilitator, so no history")
        return []
    organisation = workshop.organisation
    editor = get_user_model().objects.filter(username=EDITOR).first()
    categories = {category.name: category for category in categories_for(organisation)}
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    today = timezone.localdate(timezone=zone)
    last_tuesday = today - datetime.timedelta(days=(today.weekday() - 1) % 7 or 7)

    sessions = []
    for past in TUESDAYS:
        day = last_tuesday - datetime.timedelta(weeks=past["weeks_ago"] - 1)
        session = one_off_session({**spec, **COMMUNITY_CENTRE}, workshop, day)
        roster.assign(session, facilitator, Role.LEAD)
        came = book_history(session, past["came"])
        ended = session.ends_at
        attendance.mark_attendance(session, came, past["walk_ins"], now=ended)
        debrief = debriefs.file_debrief(
            session,
            facilitator,
            attendance=len(came) + past["walk_ins"],
            how_it_went=past["how_it_went"],
            notes=past["notes"],
            signposting=[categories[name] for name in past["signposting"] if name in categories],
            fidelity=[check for check in workshop.fidelity_checks if check not in past["skipped"]],
            concern_summary=past.get("concern"),
            now=ended + datetime.timedelta(hours=1),
        )
        if past.get("concern") and editor is not None:
            close_concern(debrief, editor, past["concern_outcome"], ended)
        answer_feedback(session, past["feedback"], day)
        sessions.append(session)

    if editor is not None:
        for session in sessions[:CONFIRMED]:
            for record_row in session.records.select_related("entry"):
                record.staff_confirm(editor, record_row.entry, now=session.ends_at)
    return sessions


def book_history(session, names):
    """Confirmed bookings of a past session for `names`; returns their ids."""
    bookings = Booking.objects.bulk_create(
        Booking(
            session=session,
            first_name=name,
            email=participant_email(name, session.workshop),
            status=BookingStatus.CONFIRMED,
            created_at=session.starts_at - datetime.timedelta(days=3),
        )
        for name in names
    )
    Session.objects.filter(pk=session.pk).update(places_taken=len(bookings))
    return [booking.pk for booking in bookings]


def close_concern(debrief, editor, outcome, ended):
    safeguarding.update_concern(
        debrief.safeguarding,
        editor,
        status=ConcernStatus.CLOSED,
        outcome=outcome,
        now=ended + datetime.timedelta(days=1),
    )


def answer_feedback(session, answers, day):
    FeedbackResponse.objects.bulk_create(
        FeedbackResponse(
            session=session,
            felt_safe=safe,
            felt_heard=heard,
            would_return=again,
            comment=comment,
            submitted_on=day + datetime.timedelta(days=1),
        )
        for safe, heard, again, comment in answers
    )
