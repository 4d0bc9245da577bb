"""Organisations that existed before sessions get their staff's session permissions on migrating
(the data migration's function, run against the current models)."""

import importlib

import pytest
from django.apps import apps

from peerpath.meetings.permissions import STAFF_PERMISSIONS, staff_permissions

migration = importlib.import_module(
    "peerpath.meetings.migrations.0002_existing_organisations_staff_permissions"
)

pytestmark = pytest.mark.django_db


def test_an_existing_organisations_editors_get_the_session_permissions(
    organisation, other_organisation
):
    for group in (organisation.editors_group, other_organisation.editors_group):
        group.permissions.remove(*staff_permissions())
    migration.grant(apps, None)
    for group in (organisation.editors_group, other_organisation.editors_group):
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert {"add_session", "change_session", "view_session", "delete_session"} <= codenames
        assert {"add_sessionseries", "change_sessionseries", "view_sessionseries"} <= codenames
        assert "delete_sessionseries" not in codenames


def test_the_migration_grants_what_set_up_grants():
    # The migration keeps its own frozen copy of the list; it must match the app's.
    assert {
        model: actions for model, (_name, actions) in migration.STAFF_PERMISSIONS.items()
    } == STAFF_PERMISSIONS
