"""An organisation's editors group gets its session permissions when the organisation is set up,
and the policies limit them to the organisation's own sessions."""

import pytest
from django.contrib.auth.models import Group

from peerpath.meetings.choices import SessionStatus
from peerpath.meetings.models import Session, SessionSeries
from peerpath.meetings.permissions import SeriesPermissionPolicy, SessionPermissionPolicy
from peerpath.organisations.setup import set_up_organisation

from .factories import make_booking

pytestmark = pytest.mark.django_db


def test_setting_up_an_organisation_gives_its_editors_the_session_permissions(organisation):
    set_up_organisation(organisation)
    organisation.refresh_from_db()
    codenames = set(organisation.editors_group.permissions.values_list("codename", flat=True))
    assert {
        "add_session",
        "change_session",
        "view_session",
        "delete_session",
        "add_sessionseries",
        "change_sessionseries",
        "view_sessionseries",
    } <= codenames
    assert "delete_sessionseries" not in codenames


def test_setting_up_again_restores_removed_session_permissions(organisation):
    set_up_organisation(organisation)
    organisation.refresh_from_db()
    group = Group.objects.get(pk=organisation.editors_group_id)
    group.permissions.clear()
    set_up_organisation(organisation)
    assert group.permissions.filter(codename="change_session").exists()


def test_staff_may_change_their_own_organisations_session(editor, session):
    policy = SessionPermissionPolicy(Session)
    assert policy.user_has_permission_for_instance(editor, "change", session)


def test_staff_may_not_change_another_organisations_session(other_editor, session):
    policy = SessionPermissionPolicy(Session)
    assert not policy.user_has_permission_for_instance(other_editor, "change", session)


def test_a_cancelled_session_is_not_changed(editor, session):
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.CANCELLED, cancellation_reason="Flooded."
    )
    session.refresh_from_db()
    assert not SessionPermissionPolicy(Session).user_has_permission_for_instance(
        editor, "change", session
    )


def test_a_booked_session_is_not_deleted(editor, session):
    make_booking(session)
    assert not SessionPermissionPolicy(Session).user_has_permission_for_instance(
        editor, "delete", session
    )


def test_the_policy_lists_only_the_organisations_sessions(editor, other_editor, session):
    policy = SessionPermissionPolicy(Session)
    assert list(policy.instances_user_has_permission_for(editor, "change")) == [session]
    assert not policy.instances_user_has_permission_for(other_editor, "change").exists()


def test_nobody_deletes_a_series_in_the_admin(staff_user):
    assert not SeriesPermissionPolicy(SessionSeries).user_has_permission(staff_user, "delete")
