"""Who may lead a session: the roster rule, asked when someone is assigned and again every day.

A facilitator on a roster must belong to the session's organisation and hold a *practising*
certificate (valid or provisional: `certificates.access`) for the workshop's programme. The admin
form, the series assignment and the daily check all call `roster_problem_for`; nothing else
decides it. When the daily check finds a session whose lead no longer qualifies (a certificate
lapsed, was suspended or revoked), or that has no lead, it flags the session (`Session.roster_problem`,
shown on staff screens) and tells the organisation's staff once.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.certificates.access import holds_valid_certificate, practising_holder_ids
from peerpath.organisations.models import OrganisationMembership

from . import notifications
from .choices import Role, SessionStatus
from .models import RosterAssignment, SeriesFacilitator, Session
from .refusals import Refused


class RosterRefused(Refused):
    """An assignment that breaks the roster rule. The message is for the person assigning."""


def eligible_facilitators(workshop):
    """Users who may be put on `workshop`'s sessions: members of its organisation who hold a
    practising certificate for its programme (one query when evaluated)."""
    users = get_user_model().objects.filter(is_active=True)
    if workshop.programme_id is None or workshop.organisation is None:
        return users.none()
    return users.filter(
        pk__in=practising_holder_ids(workshop.programme_id),
    ).filter(
        pk__in=OrganisationMembership.objects.filter(organisation=workshop.organisation).values(
            "user_id"
        )
    )


def facilitator_problem(user, workshop):
    """Why `user` may not facilitate `workshop`'s sessions, or None if they may."""
    name = user.get_full_name() or user.get_username()
    if not user.is_active:
        return _("%(name)s's account is not active.") % {"name": name}
    if workshop.programme_id is None:
        return _("The workshop names no programme, so nobody can be certified to lead it.")
    organisation = workshop.organisation
    if (
        organisation is None
        or not OrganisationMembership.objects.filter(user=user, organisation=organisation).exists()
    ):
        return _("%(name)s is not a member of %(organisation)s.") % {
            "name": name,
            "organisation": organisation or _("the workshop's organisation"),
        }
    if not holds_valid_certificate(user, workshop.programme_id):
        return _(
            "%(name)s does not hold a practising certificate for %(programme)s (valid or "
            "provisional), so they cannot facilitate this session."
        ) % {"name": name, "programme": workshop.programme.title}
    return None


def assign(session, facilitator, role=Role.CO):
    """Put `facilitator` on `session`'s roster; a new lead replaces the old one."""
    problem = facilitator_problem(facilitator, session.workshop)
    if problem:
        raise RosterRefused(problem)
    if session.status != SessionStatus.SCHEDULED:
        raise RosterRefused(_("Only a scheduled session's roster can change."))
    try:
        with transaction.atomic():
            if role == Role.LEAD:
                RosterAssignment.objects.filter(session=session, role=Role.LEAD).exclude(
                    facilitator=facilitator
                ).update(role=Role.CO)
            assignment, _created = RosterAssignment.objects.update_or_create(
                session=session, facilitator=facilitator, defaults={"role": role}
            )
    except IntegrityError:
        raise RosterRefused(
            _("Someone else changed this roster at the same time; try again.")
        ) from None
    check_roster(session)
    return assignment


def set_session_roster(session, lead, co_facilitators=()):
    """Make `lead` and `co_facilitators` the roster of one session; anyone else leaves it.

    Everyone is checked first (`assign`); a refusal raises `RosterRefused` (callers roll back).
    """
    co_facilitators = [user for user in co_facilitators if user != lead]
    assign(session, lead, Role.LEAD)
    for user in co_facilitators:
        assign(session, user, Role.CO)
    kept = [lead.pk, *(user.pk for user in co_facilitators)]
    if (
        RosterAssignment.objects.filter(session=session)
        .exclude(facilitator_id__in=kept)
        .delete()[0]
    ):
        check_roster(session)


def set_series_roster(series, lead, co_facilitators=(), now=None):
    """Make `lead` and `co_facilitators` the roster of `series` and of its future sessions.

    Everyone is checked first; one refusal changes nothing. Sessions of the series made later
    get the same roster (`copy_series_roster`).
    """
    now = now or timezone.now()
    wanted = [(lead, Role.LEAD)] + [(user, Role.CO) for user in co_facilitators if user != lead]
    for user, _role in wanted:
        problem = facilitator_problem(user, series.workshop)
        if problem:
            raise RosterRefused(problem)
    ids = [user.pk for user, _role in wanted]
    with transaction.atomic():
        SeriesFacilitator.objects.filter(series=series).delete()
        SeriesFacilitator.objects.bulk_create(
            SeriesFacilitator(series=series, facilitator=user, role=role) for user, role in wanted
        )
        future = Session.objects.filter(
            series=series, status=SessionStatus.SCHEDULED, starts_at__gt=now
        )
        RosterAssignment.objects.filter(session__in=future).exclude(facilitator_id__in=ids).delete()
        RosterAssignment.objects.filter(session__in=future, role=Role.LEAD).update(role=Role.CO)
        for session in future.select_related("workshop"):
            for user, role in wanted:
                RosterAssignment.objects.update_or_create(
                    session=session, facilitator=user, defaults={"role": role}
                )
            check_roster(session, now)


def copy_series_roster(series, sessions):
    """Give newly made `sessions` of `series` the series' roster (those who still qualify)."""
    places = [
        place
        for place in series.roster.select_related("facilitator")
        if facilitator_problem(place.facilitator, series.workshop) is None
    ]
    RosterAssignment.objects.bulk_create(
        [
            RosterAssignment(session=session, facilitator=place.facilitator, role=place.role)
            for session in sessions
            for place in places
        ],
        ignore_conflicts=True,
    )


def roster_problem_for(session, eligible_ids=None):
    """What is wrong with `session`'s roster today, or "" if nothing is.

    `eligible_ids` (the ids `eligible_facilitators` gives for the session's workshop) lets a
    caller checking many sessions ask the rule once per workshop; only those outside it are
    asked why, for the message.
    """
    roster = list(session.roster.all())
    if not any(assignment.role == Role.LEAD for assignment in roster):
        return _("No lead facilitator.")
    problems = [
        facilitator_problem(assignment.facilitator, session.workshop)
        for assignment in roster
        if eligible_ids is None or assignment.facilitator_id not in eligible_ids
    ]
    return " ".join(problem for problem in problems if problem)[:300]


def check_roster(session, now=None):
    """Check one session's roster and store the answer. True when it newly went wrong."""
    now = now or timezone.now()
    problem = roster_problem_for(session)
    newly_flagged = bool(problem) and problem != session.roster_problem
    Session.objects.filter(pk=session.pk).update(roster_problem=problem, roster_checked_at=now)
    session.roster_problem = problem
    session.roster_checked_at = now
    return newly_flagged


def check_upcoming_rosters(now=None):
    """The daily check of every scheduled session still to come.

    The rule is asked once per workshop (`eligible_facilitators`), rosters come in one prefetch
    per chunk, and only sessions whose answer changed are written, so the queries grow with the
    number of workshops, not of sessions. Each organisation's staff get one message listing its
    newly flagged sessions (not one per session). Returns how many sessions were newly flagged.
    """
    now = now or timezone.now()
    upcoming = Session.objects.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now)
    eligible = {}
    newly = {}
    sessions = (
        upcoming.select_related("workshop", "workshop__programme", "organisation")
        .prefetch_related("roster__facilitator")
        .order_by("starts_at")
    )
    for session in sessions.iterator(chunk_size=200):
        if session.workshop_id not in eligible:
            eligible[session.workshop_id] = set(
                eligible_facilitators(session.workshop).values_list("pk", flat=True)
            )
        problem = roster_problem_for(session, eligible[session.workshop_id])
        if problem == session.roster_problem:
            continue
        Session.objects.filter(pk=session.pk).update(roster_problem=problem)
        if problem:
            newly.setdefault(session.organisation, []).append(session)
    upcoming.update(roster_checked_at=now)
    for organisation, flagged in newly.items():
        notifications.rosters_flagged(organisation, flagged)
    return sum(len(flagged) for flagged in newly.values())
