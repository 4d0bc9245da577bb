"""What each role's group may do: given when an organisation is set up, and by the data
migrations to organisations that existed before coordinators and safeguarding leads."""

import importlib

import pytest
from django.apps import apps

from peerpath.certificates.role_permissions import COORDINATOR_PERMISSIONS
from peerpath.meetings import permissions as meetings_permissions
from peerpath.meetings.models import LocalService, SafeguardingConcern, Session, SessionSeries
from peerpath.organisations.roles import Role
from peerpath.organisations.setup import add_staff, set_up_organisation
from tests.factories import UserFactory

meetings_migration = importlib.import_module(
    "peerpath.meetings.migrations.0005_role_groups_permissions"
)
certificates_migration = importlib.import_module(
    "peerpath.certificates.migrations.0009_coordinators_permissions"
)

pytestmark = pytest.mark.django_db


def names(group):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def meetings(by_model):
    return {
        f"peerpath_meetings.{action}_{model}"
        for model, actions in by_model.items()
        for action in actions
    }


ADMIN = {"wagtailadmin.access_admin"}
COORDINATORS = (
    ADMIN | meetings(meetings_permissions.STAFF_PERMISSIONS) | set(COORDINATOR_PERMISSIONS)
)
SAFEGUARDING_LEADS = ADMIN | meetings(meetings_permissions.SAFEGUARDING_PERMISSIONS)
EDITORS = ADMIN | meetings(meetings_permissions.STAFF_PERMISSIONS)


def test_set_up_gives_each_role_its_permissions(organisation):
    assert names(organisation.coordinators_group) == COORDINATORS
    assert names(organisation.safeguarding_group) == SAFEGUARDING_LEADS
    # Editors keep what they had before roles: sessions and safeguarding, nothing of learners.
    assert names(organisation.editors_group) == EDITORS


def test_coordinators_certificate_permissions_stop_short_of_revoking_and_renewing(organisation):
    granted = names(organisation.coordinators_group)
    assert {
        "peerpath_certificates.view_certificate",
        "peerpath_certificates.verify_certificate",
        "peerpath_certificates.award_certificate",
    } <= granted
    assert "peerpath_certificates.revoke_certificate" not in granted
    assert "peerpath_certificates.change_certificate" not in granted
    assert "peerpath_organisations.change_organisationmembership" not in granted


def test_safeguarding_leads_only_read_signposting(organisation):
    granted = names(organisation.safeguarding_group)
    assert "peerpath_meetings.view_localservice" in granted
    assert "peerpath_meetings.add_localservice" not in granted
    assert not {name for name in granted if "session" in name}


def test_setting_up_again_restores_what_was_taken(organisation):
    organisation.coordinators_group.permissions.clear()
    organisation.safeguarding_group.permissions.clear()
    set_up_organisation(organisation)
    assert names(organisation.coordinators_group) == COORDINATORS
    assert names(organisation.safeguarding_group) == SAFEGUARDING_LEADS


def test_the_migrations_give_existing_organisations_what_set_up_gives(
    organisation, other_organisation
):
    for org in (organisation, other_organisation):
        org.coordinators_group.permissions.clear()
        org.safeguarding_group.permissions.clear()
    editors_before = names(organisation.editors_group)

    meetings_migration.grant(apps, None)
    certificates_migration.grant(apps, None)

    for org in (organisation, other_organisation):
        # Admin access came with the groups (organisations' migration 0004).
        assert names(org.coordinators_group) | ADMIN == COORDINATORS
        assert names(org.safeguarding_group) | ADMIN == SAFEGUARDING_LEADS
    assert names(organisation.editors_group) == editors_before


def test_the_migrations_frozen_lists_match_the_apps():
    assert meetings_migration.COORDINATOR_PERMISSIONS == meetings_permissions.STAFF_PERMISSIONS
    assert (
        meetings_migration.SAFEGUARDING_PERMISSIONS == meetings_permissions.SAFEGUARDING_PERMISSIONS
    )
    frozen = {
        f"{app_label}.{codename}"
        for app_label, _model, codename, _name in certificates_migration.COORDINATOR_PERMISSIONS
    }
    assert frozen == set(COORDINATOR_PERMISSIONS)


def test_the_migrations_run_without_organisations():
    meetings_migration.grant(apps, None)
    certificates_migration.grant(apps, None)


# --- Which roles act on which rows -------------------------------------------------------------


def staff(organisation, role):
    user = UserFactory()
    add_staff(organisation, user, role)
    return user


@pytest.mark.parametrize(
    "role, sessions, concerns",
    [
        (Role.COORDINATOR, True, True),
        (Role.EDITOR, True, True),
        (Role.SAFEGUARDING_LEAD, False, True),
    ],
)
def test_each_role_acts_on_its_organisations_rows_of_the_models_it_means(
    organisation, other_organisation, role, sessions, concerns
):
    person = staff(organisation, role)
    for model in (Session, SessionSeries):
        assert meetings_permissions.in_scope(person, model(organisation=organisation)) is sessions
    for model in (SafeguardingConcern, LocalService):
        assert meetings_permissions.in_scope(person, model(organisation=organisation)) is concerns
        assert not meetings_permissions.in_scope(person, model(organisation=other_organisation))
