"""Debriefs: the lead facilitator's account of a session, filed once after it.

The one home of the debrief rule. Only the session's lead facilitator files it, once the session
has started and unless it was cancelled; a second debrief is refused. Filing completes a session
still open (`attendance.complete_session`), records the signposting given and the workshop's
fidelity checklist, raises a `SafeguardingConcern` when the lead reports one, and makes each
facilitator's log entry (`record.record_session`), all in one transaction under the session's row
lock, as `attendance.py` changes sessions. The concern is e-mailed to the organisation's
safeguarding contact once the transaction has committed (`notifications.concern_raised`), when the
co-facilitators are also asked to confirm their part (`record.entries_made`).

A debrief is due within `DEBRIEF_DUE_DAYS` of the session; a lead who has not filed one a day
after it ended is reminded once (`send_debrief_reminders`, claimed with a conditional UPDATE as
`reminders.py` does, so two runs never both send).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.workshops.models import MAX_GROUP_SIZE

from . import notifications, record
from .attendance import complete_session
from .choices import HowItWent, Role, SessionStatus
from .models import Debrief, RosterAssignment, SafeguardingConcern, Session
from .refusals import Refused

logger = logging.getLogger(__name__)

#: A debrief is due within this many days of the session's end.
DEBRIEF_DUE_DAYS = 3
#: A lead without a debrief is reminded this long after the session ended (or was completed).
REMIND_AFTER = timedelta(hours=24)
#: Sessions further back than this are no longer reminded.
REMIND_WITHIN = timedelta(days=14)
#: Sessions awaiting a debrief listed on "My sessions".
MAX_AWAITING = 10


class DebriefRefused(Refused):
    """A debrief that cannot be filed. Codes: "not_lead", "filed", "closed", "not_started",
    "foreign" (a signposting category of another organisation), "invalid" (a value out of range).
    """


def lead_and_filed(session):
    """The id of `session`'s lead facilitator (or None), and whether its debrief is filed: one
    query."""
    lead = RosterAssignment.objects.filter(session=OuterRef("pk"), role=Role.LEAD)
    return (
        Session.objects.filter(pk=session.pk)
        .values_list(
            Subquery(lead.values("facilitator_id")[:1]),
            Exists(Debrief.objects.filter(session=OuterRef("pk"))),
        )
        .get()
    )


def lead_of(session):
    """`session`'s lead facilitator (a user), or None."""
    place = (
        RosterAssignment.objects.filter(session=session, role=Role.LEAD)
        .select_related("facilitator")
        .first()
    )
    return place.facilitator if place else None


def is_lead(user, session):
    """True if `user` is `session`'s lead facilitator."""
    return user.is_authenticated and lead_and_filed(session)[0] == user.pk


def debrief_refusal(user, session, now=None, *, lead_and_filed_now=None):
    """Why `user` cannot file `session`'s debrief now, as a `DebriefRefused`; None if they can.
    (`lead_and_filed_now`: what `lead_and_filed` answered, when the caller already asked.)"""
    now = now or timezone.now()
    lead, filed = lead_and_filed_now or lead_and_filed(session)
    if not (user.is_authenticated and user.is_active) or lead != user.pk:
        return DebriefRefused(
            _("Only the session's lead facilitator files its debrief."), "not_lead"
        )
    if filed:
        return DebriefRefused(
            _("The debrief of this session was already filed; it cannot be filed again."),
            "filed",
        )
    if session.status == SessionStatus.CANCELLED:
        return DebriefRefused(
            _("This session was cancelled, so there is no debrief to file."), "closed"
        )
    if now < session.starts_at:
        return DebriefRefused(
            _("The debrief can be filed once the session has started."), "not_started"
        )
    return None


def debrief_problem(user, session, now=None):
    """Why `user` cannot file `session`'s debrief now (a message), or None if they can."""
    refusal = debrief_refusal(user, session, now)
    return refusal.message if refusal else None


def debrief_state(user, session, now=None):
    """What the roster page says of the debrief: "filed", "due" (the user may file it now) or
    None (nothing to say)."""
    answer = lead_and_filed(session)
    if answer[1]:
        return "filed"
    if debrief_refusal(user, session, now, lead_and_filed_now=answer) is None:
        return "due"
    return None


def due_by(session):
    """When `session`'s debrief is due: `DEBRIEF_DUE_DAYS` after it ended."""
    return session.ends_at + timedelta(days=DEBRIEF_DUE_DAYS)


def fidelity_record(workshop, done):
    """The workshop's fidelity checklist as the debrief keeps it: each check and whether it was
    done (`done`: the checks ticked). A check the workshop does not have is refused."""
    checks = workshop.fidelity_checks
    done = set(done)
    if not done <= set(checks):
        raise DebriefRefused(
            _("The fidelity checklist changed while you were filling it in. Please try again."),
            "invalid",
        )
    return [{"check": check, "done": check in done} for check in checks]


def file_debrief(
    session,
    user,
    *,
    attendance,
    how_it_went,
    notes,
    signposting,
    fidelity,
    concern_summary=None,
    now=None,
):
    """File `session`'s debrief by `user`, its lead facilitator; returns the `Debrief`.

    `signposting`: the signposting categories given (of the session's organisation; empty when
    none was needed). `fidelity`: the workshop's fidelity checks that were done. A non-empty
    `concern_summary` raises a safeguarding concern, e-mailed to the organisation's safeguarding
    contact once this has committed. A refusal (`DebriefRefused`) changes nothing.
    """
    now = now or timezone.now()
    signposting = list(signposting)
    concern_summary = (concern_summary or "").strip()
    if how_it_went not in HowItWent.values or not 0 <= attendance <= MAX_GROUP_SIZE:
        raise DebriefRefused(_("Some of the answers were not valid; nothing was saved."), "invalid")
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("workshop").get(pk=session.pk)
        refusal = debrief_refusal(user, session, now)
        if refusal:
            raise refusal
        if any(category.organisation_id != session.organisation_id for category in signposting):
            raise DebriefRefused(
                _("Choose signposting from your organisation's list; nothing was saved."),
                "foreign",
            )
        checklist = fidelity_record(session.workshop, fidelity)
        if session.status == SessionStatus.SCHEDULED:
            session = complete_session(session, now)
        debrief = Debrief.objects.create(
            session=session,
            filed_by=user,
            filed_at=now,
            attendance=attendance,
            how_it_went=how_it_went,
            notes=notes.strip(),
            fidelity=checklist,
            concern=bool(concern_summary),
        )
        debrief.signposting.set(signposting)
        if concern_summary:
            concern = SafeguardingConcern.objects.create(
                debrief=debrief,
                session=session,
                organisation_id=session.organisation_id,
                summary=concern_summary,
                raised_by=user,
                raised_at=now,
            )
            transaction.on_commit(lambda: notifications.concern_raised(concern))
        entries = record.record_session(debrief)
        # Co-facilitators are asked to confirm their part once the entries are there for good.
        transaction.on_commit(lambda: record.entries_made(entries))
    logger.info("Debrief %s filed for session %s", debrief.pk, session.pk)
    return debrief


# --- Awaiting a debrief, and reminders --------------------------------------------------------


def _without_debrief():
    return ~Exists(Debrief.objects.filter(session=OuterRef("pk")))


def awaiting_debrief(user, now=None):
    """Completed sessions `user` led whose debrief is not filed yet, most recent first, each with
    `debrief_due` (when it is due) and `debrief_overdue`."""
    now = now or timezone.now()
    led = RosterAssignment.objects.filter(facilitator=user, role=Role.LEAD).values("session_id")
    sessions = list(
        Session.objects.filter(pk__in=led, status=SessionStatus.COMPLETED)
        .filter(_without_debrief())
        .select_related("workshop", "organisation")
        .order_by("-starts_at", "-pk")[:MAX_AWAITING]
    )
    for session in sessions:
        session.debrief_due = due_by(session)
        session.debrief_overdue = now > session.debrief_due
    return sessions


def debriefs_due(now):
    """Sessions whose lead should be reminded of the debrief now: completed or ended more than
    `REMIND_AFTER` ago (within `REMIND_WITHIN`), not cancelled, with a lead, no debrief, and not
    reminded yet."""
    cutoff = now - REMIND_AFTER
    has_lead = Exists(RosterAssignment.objects.filter(session=OuterRef("pk"), role=Role.LEAD))
    return (
        Session.objects.exclude(status=SessionStatus.CANCELLED)
        .filter(Q(ends_at__lte=cutoff) | Q(completed_at__lte=cutoff))
        .filter(ends_at__gte=now - REMIND_WITHIN, debrief_reminded_at__isnull=True)
        .filter(has_lead, _without_debrief())
        .order_by("ends_at", "pk")
    )


def claim(session_id, now):
    """Mark one session's debrief reminded; True only for the run that changed it."""
    return bool(
        Session.objects.filter(pk=session_id, debrief_reminded_at__isnull=True).update(
            debrief_reminded_at=now
        )
    )


def send_debrief_reminders(now=None):
    """Remind each lead whose debrief is missing, once; returns how many reminders went out."""
    now = now or timezone.now()
    sent = 0
    for session_id in list(debriefs_due(now).values_list("pk", flat=True)):
        if not claim(session_id, now):
            continue  # another run has it
        session = Session.objects.select_related("workshop", "organisation").get(pk=session_id)
        lead = lead_of(session)
        if lead is None or not lead.is_active or not lead.email:
            continue  # nobody to reach: the claim stays, so no run asks again
        if notifications.send_debrief_reminder(session, lead, due_by(session)):
            sent += 1
        else:
            # The failure is logged; giving the claim back lets the next run try again.
            Session.objects.filter(pk=session_id, debrief_reminded_at=now).update(
                debrief_reminded_at=None
            )
    logger.info("Sent %s debrief reminder(s)", sent)
    return sent
