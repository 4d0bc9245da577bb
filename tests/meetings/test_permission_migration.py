"""Organisations that existed before sessions get their staff's session permissions on migrating."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from peerpath.meetings.permissions import staff_permissions

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("peerpath_meetings", "0001_initial")]
AFTER = [("peerpath_meetings", "0002_existing_organisations_staff_permissions")]


def test_an_existing_organisations_editors_get_the_session_permissions(organisation):
    group = organisation.editors_group
    group.permissions.remove(*staff_permissions())
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_session", "change_session", "view_session", "delete_session"} <= codenames
    assert {"add_sessionseries", "change_sessionseries", "view_sessionseries"} <= codenames
    assert "delete_sessionseries" not in codenames
