"""Organisations that existed before sessions get their staff's session permissions on migrating
(the data migration's function, run against the current models)."""

import importlib

import pytest
from django.apps import apps

from peerpath.meetings.models import Session, SignpostingCategory
from peerpath.meetings.permissions import STAFF_PERMISSIONS, staff_permissions

from .factories import make_session

migration = importlib.import_module(
    "peerpath.meetings.migrations.0002_existing_organisations_staff_permissions"
)
quality_migration = importlib.import_module(
    "peerpath.meetings.migrations.0004_quality_defaults_for_existing_organisations"
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


def test_the_migrations_grant_what_set_up_grants():
    # Each migration keeps its own frozen copy of its part of the list; together they match the
    # app's.
    frozen = {**migration.STAFF_PERMISSIONS, **quality_migration.STAFF_PERMISSIONS}
    assert {model: actions for model, (_name, actions) in frozen.items()} == STAFF_PERMISSIONS


def test_existing_organisations_get_categories_permissions_and_a_code_per_session(
    organisation, other_organisation, workshop
):
    SignpostingCategory.objects.filter(organisation=organisation).delete()
    first, second = make_session(workshop), make_session(workshop, days_ahead=8)
    Session.objects.update(feedback_code="SAME22")
    organisation.editors_group.permissions.clear()

    quality_migration.set_up(apps, None)

    names = list(
        SignpostingCategory.objects.filter(organisation=organisation).values_list("name", flat=True)
    )
    assert names == ["Crisis line", "GP or mental-health team", "Other local service"]
    # An organisation that already had its list keeps it as it was.
    assert SignpostingCategory.objects.filter(organisation=other_organisation).count() == 3
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.feedback_code != "SAME22" and first.feedback_code != second.feedback_code
    codenames = set(organisation.editors_group.permissions.values_list("codename", flat=True))
    assert {"view_safeguardingconcern", "change_feedbackresponse", "add_localservice"} <= codenames
