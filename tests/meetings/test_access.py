"""Who may run a session (access.can_run_session): its roster, its organisation's staff, superusers."""

import pytest

from peerpath.meetings.access import can_run_session, joining_link_for
from peerpath.meetings.booking import book, cancel
from peerpath.meetings.choices import Role

from .factories import make_booking, make_facilitator, make_session, put_on_roster

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_cannot_run_a_session(session, anonymous):
    assert not can_run_session(anonymous, session)


def test_a_participant_with_a_place_cannot_run_the_session(session, user):
    make_booking(session, user=user)
    assert not can_run_session(user, session)


def test_another_organisations_editor_cannot_run_the_session(session, other_editor):
    assert not can_run_session(other_editor, session)


def test_a_certified_facilitator_not_on_the_roster_cannot_run_the_session(session, facilitator):
    assert not can_run_session(facilitator, session)


@pytest.mark.parametrize("role", [Role.LEAD, Role.CO])
def test_a_facilitator_on_the_roster_can_run_the_session(session, facilitator, role):
    put_on_roster(session, facilitator, role)
    assert can_run_session(facilitator, session)


def test_a_deactivated_facilitator_on_the_roster_cannot_run_the_session(session, facilitator):
    put_on_roster(session, facilitator)
    facilitator.is_active = False
    facilitator.save(update_fields=["is_active"])
    assert not can_run_session(facilitator, session)


def test_being_on_another_sessions_roster_is_not_enough(workshop, session, organisation, programme):
    other = make_session(workshop, days_ahead=14)
    someone = make_facilitator(organisation, programme)
    put_on_roster(other, someone)
    assert not can_run_session(someone, session)


def test_the_organisations_editor_can_run_its_sessions(session, editor):
    assert can_run_session(editor, session)


def test_superusers_can_run_any_session(session, staff_user):
    assert can_run_session(staff_user, session)


def test_the_joining_link_is_only_for_a_confirmed_place_or_those_running_the_session(
    workshop, facilitator, user, other_user
):
    session = make_session(workshop, mode="online", capacity=1)
    put_on_roster(session, facilitator)
    confirmed = book(session, user=user)
    waiting = book(session, user=other_user)
    link = session.joining_link
    assert joining_link_for(session, booking=confirmed) == link
    assert joining_link_for(session, booking=waiting) == ""
    assert joining_link_for(session, user=facilitator) == link
    assert joining_link_for(session, user=other_user) == ""
    cancel(confirmed)
    confirmed.refresh_from_db()
    assert joining_link_for(session, booking=confirmed) == ""
