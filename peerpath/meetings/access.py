"""Who may run a session: the one rule for its roster page, attendance, check-in code and joining
link on the facilitator's side.

A session may be run by an active user who is on its roster (lead or co-facilitator), by the staff
of its organisation (the organisation-scope rule, `organisations_for`), and by superusers. Nobody
else, however certified, sees its participants.
"""

from peerpath.organisations.scope import organisations_for

from .models import RosterAssignment


def is_on_roster(user, session):
    """True if `user` leads or co-facilitates `session`."""
    return RosterAssignment.objects.filter(session=session, facilitator=user).exists()


def is_organisation_staff(user, session):
    """True if `user` is staff of `session`'s organisation, or a superuser (all organisations)."""
    organisations = organisations_for(user)
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
