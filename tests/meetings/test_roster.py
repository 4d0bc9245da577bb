"""The roster rule: only practising members of the organisation facilitate (roster.py)."""

import pytest

from peerpath.meetings.models import RosterAssignment, SeriesFacilitator
from peerpath.meetings.roster import (
    RosterRefused,
    assign,
    check_upcoming_rosters,
    eligible_facilitators,
    set_series_roster,
)

from .factories import make_facilitator, make_series, make_session, put_on_roster

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["expired", "revoked", "relinquished", None])
def test_someone_without_a_practising_certificate_cannot_be_assigned(
    session, organisation, programme, status
):
    user = make_facilitator(organisation, programme, status=status)
    with pytest.raises(RosterRefused):
        assign(session, user, "lead")
    assert not RosterAssignment.objects.exists()
    assert user not in eligible_facilitators(session.workshop)


def test_another_organisations_certified_facilitator_cannot_be_assigned(
    session, other_organisation, programme
):
    outsider = make_facilitator(other_organisation, programme)
    with pytest.raises(RosterRefused):
        assign(session, outsider, "lead")
    assert not RosterAssignment.objects.exists()


def test_a_practising_member_is_assigned_and_a_new_lead_replaces_the_old(
    session, organisation, programme, facilitator
):
    assign(session, facilitator, "lead")
    second = make_facilitator(organisation, programme)
    assign(session, second, "lead")
    roles = dict(session.roster.values_list("facilitator_id", "role"))
    assert roles == {facilitator.pk: "co", second.pk: "lead"}
    assert set(eligible_facilitators(session.workshop)) == {facilitator, second}


def test_the_daily_check_flags_a_session_whose_lead_lost_their_certificate_once(
    session, facilitator
):
    put_on_roster(session, facilitator)
    assert check_upcoming_rosters() == 0
    facilitator.certificates.update(
        suspended_at="2026-01-01T00:00:00Z", suspension_reason="Under review"
    )
    assert check_upcoming_rosters() == 1
    session.refresh_from_db()
    assert "practising certificate" in session.roster_problem
    assert check_upcoming_rosters() == 0  # already flagged: not counted (nor announced) again


def test_a_series_roster_refuses_everyone_if_one_does_not_qualify(
    workshop, organisation, programme, facilitator
):
    series = make_series(workshop)
    lapsed = make_facilitator(organisation, programme, status="expired")
    with pytest.raises(RosterRefused):
        set_series_roster(series, facilitator, [lapsed])
    assert not SeriesFacilitator.objects.exists()


def test_the_daily_check_asks_the_rule_once_per_workshop_not_once_per_session(
    workshop, facilitator, django_assert_max_num_queries
):
    for days in range(1, 21):
        put_on_roster(make_session(workshop, days_ahead=days), facilitator)
    # Sessions and their rosters (a chunk: 2 queries), the workshop's organisation and the
    # eligible people (2), the final stamp (1): the same for 20 sessions as for 1.
    with django_assert_max_num_queries(6):
        assert check_upcoming_rosters() == 0


def test_the_daily_check_writes_the_reason_for_one_bad_facilitator_among_good_ones(
    workshop, organisation, programme, facilitator
):
    session = make_session(workshop)
    put_on_roster(session, facilitator)
    lapsed = make_facilitator(organisation, programme, status="expired")
    put_on_roster(session, lapsed, role="co")
    assert check_upcoming_rosters() == 1
    session.refresh_from_db()
    assert "practising certificate" in session.roster_problem
    assert session.roster_checked_at is not None
