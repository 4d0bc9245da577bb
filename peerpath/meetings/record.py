"""The facilitation record that others confirm: the one place a session becomes log entries, and
the one place an entry made from a session is confirmed or queried.

When the lead files a session's debrief (`debriefs.py`), `record_session` gives each facilitator on
its roster a `FacilitationLogEntry` (workshops) for it: date, minutes, how many came and their role,
awaiting confirmation, linked to the session by a `SessionRecord`. A session nobody came to makes
no entries: nothing was facilitated. Certification requirements count confirmed entries only
(`peerpath.workshops.requirements`).

Who confirms what (`confirm_part`, `staff_confirm`, `staff_query`, `dispute_part`):

- A co-facilitator confirms their own part of a session. That also corroborates the session, so
  the lead's entry for it, if still awaiting, is confirmed by the same co-facilitator.
- Nobody confirms their own lead entry: a co-facilitator (as above) or the staff of the session's
  organisation do.
- Staff of the session's organisation (`organisations_for`) confirm or query any entry made from
  one of its sessions, except their own. A queried entry does not count; its facilitator sees the
  note; confirming it later clears the note.
- A facilitator who finds their entry wrong says so ("This is not right"): the entry is queried
  with their note, and the organisation's staff settle it. Only staff confirm a queried entry.
- Self-reported entries (sessions run outside PeerPath) are never confirmed: they count only where
  a programme allows them.

A refusal (`RecordRefused`) changes nothing; its code "not_found" means the entry is not the
asker's to act on (views answer 404, so nobody learns about other people's entries).
"""

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.organisations.roles import SESSIONS
from peerpath.organisations.scope import organisations_for
from peerpath.workshops.choices import Confirmation, LogRole
from peerpath.workshops.models import FacilitationLogEntry

from . import notifications
from .choices import Role
from .models import RosterAssignment, SessionRecord
from .refusals import Refused

#: A roster role as the log records it.
LOG_ROLES = {Role.LEAD: LogRole.LEAD, Role.CO: LogRole.CO}


def record_session(debrief):
    """Make the log entries of `debrief`'s session, one per facilitator on its roster who has none
    yet; returns the new entries. Call inside the debrief's transaction."""
    session = debrief.session
    if debrief.attendance < 1:
        return []
    recorded = set(
        SessionRecord.objects.filter(session=session).values_list("facilitator_id", flat=True)
    )
    entries = []
    for place in (
        RosterAssignment.objects.filter(session=session)
        .exclude(facilitator_id__in=recorded)
        .order_by("pk")
    ):
        entry = FacilitationLogEntry.objects.create(
            facilitator_id=place.facilitator_id,
            workshop=session.workshop,
            workshop_title=session.workshop.title,
            date=session.local_start.date(),
            minutes=session.duration_minutes,
            participants=debrief.attendance,
            role=LOG_ROLES[place.role],
            confirmation=Confirmation.AWAITING,
        )
        SessionRecord.objects.create(
            entry=entry,
            session=session,
            facilitator_id=place.facilitator_id,
            organisation_id=session.organisation_id,
        )
        entries.append(entry)
    return entries


# --- Confirming and querying entries ---------------------------------------------------------

#: The longest query or dispute note (the entry's `query_note`).
MAX_NOTE_LENGTH = FacilitationLogEntry._meta.get_field("query_note").max_length


class RecordRefused(Refused):
    """A confirmation or query that cannot be made; nothing was changed. Code "not_found": the
    entry is not the asker's to act on (answered as a 404)."""


def _not_found():
    return RecordRefused(_("That entry was not found in your facilitation record."), "not_found")


def _already_confirmed():
    return RecordRefused(_("This session is already confirmed; nothing changed."), "already")


def _already_queried():
    return RecordRefused(
        _("This entry is already queried; its note is shown with it. Nothing changed."), "already"
    )


def confirm_refusal(user, entry):
    """Why `user` cannot confirm their part in `entry` (a `RecordRefused`), or None if they can:
    their own co-facilitator entry made from a session, awaiting confirmation."""
    if entry.facilitator_id != user.pk:
        return _not_found()
    if entry.is_self_reported:
        return RecordRefused(
            _(
                "Sessions you recorded yourself are not confirmed: they show as self-reported "
                "and count only where your programme allows them."
            ),
            "self_reported",
        )
    if entry.is_confirmed:
        return _already_confirmed()
    if entry.role == LogRole.LEAD:
        return RecordRefused(
            _(
                "You led this session, so someone else confirms it: a co-facilitator or your "
                "organisation's staff."
            ),
            "own_lead",
        )
    if entry.confirmation == Confirmation.QUERIED:
        return RecordRefused(
            _(
                "This entry is queried, so your organisation's staff look at it again and confirm "
                "it when it is right."
            ),
            "queried",
        )
    return None


def dispute_refusal(user, entry):
    """Why `user` cannot say their `entry` is not right (a `RecordRefused`), or None if they can:
    their own entry made from a session, not already queried."""
    if entry.facilitator_id != user.pk:
        return _not_found()
    if entry.is_self_reported:
        return RecordRefused(
            _(
                "You recorded this session yourself: delete it in your facilitation log and "
                "record it again if it is not right."
            ),
            "self_reported",
        )
    if entry.confirmation == Confirmation.QUERIED:
        return _already_queried()
    return None


def staff_confirm_refusal(user, entry):
    """Why staff member `user` cannot confirm `entry` of their organisation, or None."""
    if entry.facilitator_id == user.pk:
        return _own_entry()
    if entry.is_confirmed:
        return _already_confirmed()
    return None


def staff_query_refusal(user, entry):
    """Why staff member `user` cannot query `entry` of their organisation, or None."""
    if entry.facilitator_id == user.pk:
        return _own_entry()
    if entry.confirmation == Confirmation.QUERIED:
        return _already_queried()
    return None


def _own_entry():
    return RecordRefused(
        _("This is your own entry: another member of staff or a co-facilitator confirms it."),
        "own",
    )


def checked_note(note):
    """`note` stripped, if it is a usable query note; else a refusal."""
    note = (note or "").strip()
    if not note:
        raise RecordRefused(_("Say what is not right, in a few words."), "invalid")
    if len(note) > MAX_NOTE_LENGTH:
        raise RecordRefused(
            _("Keep the note to %(max)s characters or fewer.") % {"max": MAX_NOTE_LENGTH},
            "invalid",
        )
    return note


def _locked(entry, refusal, user):
    """`entry` as it is now, locked for the change, with its session record; refused with
    `refusal(user, entry)` when that says no. A self-reported entry has no session record."""
    entry = (
        FacilitationLogEntry.objects.select_for_update(of=("self",))
        .select_related("session_record")
        .filter(pk=entry.pk)
        .first()
    )
    if entry is None:
        raise _not_found()
    problem = refusal(user, entry)
    if problem:
        raise problem
    return entry


def _confirm(entry, by, now):
    entry.confirmation = Confirmation.CONFIRMED
    entry.confirmed_by = by
    entry.confirmed_at = now
    entry.query_note = ""
    # A full save: the post_save receiver (`workshops.requirements`) announces full certification.
    entry.save()


def _query(entry, note):
    entry.confirmation = Confirmation.QUERIED
    entry.confirmed_by = None
    entry.confirmed_at = None
    entry.query_note = note
    entry.save()


def confirm_part(user, entry, now=None):
    """`user`, a co-facilitator, confirms their own entry made from a session (`confirm_refusal`
    says when they cannot). The lead's entry for the same session, if still awaiting, is
    confirmed too, by `user`. Returns the entry, confirmed."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _locked(entry, confirm_refusal, user)
        _confirm(entry, user, now)
        # The session may have been deleted since (its record then keeps no session).
        session_record = getattr(entry, "session_record", None)
        session_id = session_record.session_id if session_record else None
        if session_id is not None:
            leads = FacilitationLogEntry.objects.select_for_update().filter(
                session_record__session_id=session_id,
                role=LogRole.LEAD,
                confirmation=Confirmation.AWAITING,
            )
            for lead_entry in leads.exclude(facilitator=user).order_by("pk"):
                _confirm(lead_entry, user, now)
    return entry


def dispute_part(user, entry, note):
    """`user` says their own entry made from a session is not right: it is queried with their
    note (required, at most `MAX_NOTE_LENGTH` characters) for the organisation's staff to settle.
    Returns the entry."""
    with transaction.atomic():
        entry = _locked(entry, dispute_refusal, user)
        _query(entry, checked_note(note))
    return entry


def can_use_staff_record(user):
    """True if `user` may open the staff's Facilitation record: an active admin user who is staff
    of at least one organisation, or a superuser."""
    if not user.is_active or not user.has_perm("wagtailadmin.access_admin"):
        return False
    organisations = organisations_for(user, SESSIONS)
    return organisations is None or organisations.exists()


def _staff_check(refusal):
    """`refusal`, for entries of the staff's own organisations only: anything else is not
    found."""

    def check(user, entry):
        record = getattr(entry, "session_record", None)
        if record is None or not _is_staff_for(user, record):
            return _not_found()
        return refusal(user, entry)

    return check


def _is_staff_for(user, record):
    if not user.is_authenticated or not user.is_active:
        return False
    organisations = organisations_for(user, SESSIONS)
    return organisations is None or organisations.filter(pk=record.organisation_id).exists()


def staff_confirm(user, entry, now=None):
    """Staff of the session's organisation confirm `entry` (awaiting or queried; never their
    own). Confirming clears any query note. Returns the entry."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _locked(entry, _staff_check(staff_confirm_refusal), user)
        _confirm(entry, user, now)
    return entry


def staff_query(user, entry, note):
    """Staff of the session's organisation query `entry` with `note` (required, at most
    `MAX_NOTE_LENGTH` characters): it stops counting until it is confirmed, and its facilitator
    sees the note. Returns the entry."""
    with transaction.atomic():
        entry = _locked(entry, _staff_check(staff_query_refusal), user)
        _query(entry, checked_note(note))
    return entry


# --- What people see ---------------------------------------------------------------------------


def awaiting_my_confirmation(user):
    """`user`'s co-facilitator entries made from sessions that await their confirmation, oldest
    session first."""
    return (
        FacilitationLogEntry.objects.filter(
            facilitator=user,
            role=LogRole.CO,
            confirmation=Confirmation.AWAITING,
            session_record__isnull=False,
        )
        .select_related("session_record__organisation")
        .order_by("date", "pk")
    )


#: Staff listings put what needs them first: awaiting, then queried, then the rest.
NEEDS_STAFF_FIRST = Case(
    When(confirmation=Confirmation.AWAITING, then=Value(0)),
    When(confirmation=Confirmation.QUERIED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def entries_for_staff(user):
    """Entries made from the sessions of `user`'s organisations (all for superusers; none for
    anyone else), awaiting first, then queried, then confirmed; newest session first within each."""
    entries = FacilitationLogEntry.objects.filter(session_record__isnull=False)
    organisations = organisations_for(user, SESSIONS)
    if organisations is not None:
        entries = entries.filter(session_record__organisation__in=organisations)
    return (
        entries.select_related(
            "facilitator", "confirmed_by", "session_record__organisation", "session_record__session"
        )
        .annotate(needs_staff=NEEDS_STAFF_FIRST)
        .order_by("needs_staff", "-date", "-pk")
    )


# --- Telling co-facilitators -------------------------------------------------------------------


def entries_made(entries):
    """Call once the debrief that made `entries` (`record_session`) has committed: each
    co-facilitator gets a short e-mail asking them to confirm their part."""
    for entry in entries:
        if entry.role == LogRole.CO:
            notifications.enqueue(notifications.send_confirmation_request, entry.pk)
