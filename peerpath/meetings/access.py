"""Who may run a session (the one rule for its roster page, attendance and check-in code), and who
may have its joining link.

A session may be run by an active user who is on its roster (lead or co-facilitator), by the staff
of its organisation (the organisation-scope rule, `organisations_for`), and by superusers. Nobody
else, however certified, sees its participants.
"""

from peerpath.organisations.roles import SESSIONS
from peerpath.organisations.scope import organisations_for

from .choices import SessionStatus
from .models import RosterAssignment


def is_on_roster(user, session):
    """True if `user` leads or co-facilitates `session`."""
    return RosterAssignment.objects.filter(session=session, facilitator=user).exists()


def is_organisation_staff(user, session):
    """True if `user` is staff of `session`'s organisation, or a superuser (all organisations)."""
    organisations = organisations_for(user, SESSIONS)
    if organisations is None:
        return True
    return organisations.filter(pk=session.organisation_id).exists()


def can_run_session(user, session):
    """True if `user` may see `session`'s roster, mark its attendance, show its check-in code and
    complete it: an active user on its roster, its organisation's staff, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return is_on_roster(user, session) or is_organisation_staff(user, session)


def joining_link_for(session, *, booking=None, user=None):
    """`session`'s joining link if it may be shown, else "".

    Only a scheduled online session has one to show, and only to someone with a confirmed place
    on it (`booking`: their own, from their account or signed link) or who may run it (`user`).
    Every page, calendar file and message that could carry the link asks here.
    """
    if not (
        session.is_online and session.joining_link and session.status == SessionStatus.SCHEDULED
    ):
        return ""
    if booking is not None and booking.session_id == session.pk and booking.is_confirmed:
        return session.joining_link
    if user is not None and can_run_session(user, session):
        return session.joining_link
    return ""
