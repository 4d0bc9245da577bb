"""Audit entries about accounts in Wagtail's Site history report follow the organisation scope,
and carry no e-mail address (issue 14, item 4)."""

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from peerpath.accounts.models import AccountLogEntry
from peerpath.accounts.privacy import erase_account
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.setup import add_editor
from tests.factories import UserFactory
from tests.site_history import report_runs_here
from tests.workshops.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

User = get_user_model()

SITE_HISTORY = "wagtailadmin_reports:site_history"
OURS = "riley.ours@example.org"
THEIRS = "noor.theirs@example.org"


def org_staff(organisation):
    """An editor of `organisation` who may manage accounts in Wagtail's user admin."""
    member = UserFactory()
    add_editor(organisation, member)
    member.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_user"])
    )
    return member


@pytest.fixture
def riverside_and_northside(staff_user):
    """A Riverside learner whose account a superuser edited, and a Northside learner whose
    personal data was erased."""
    riverside = OrganisationFactory(name="Riverside Peer Support", slug="riverside")
    northside = OrganisationFactory(name="Northside Collective", slug="northside")
    ours = UserFactory(username=OURS, email=OURS)
    theirs = UserFactory(username=THEIRS, email=THEIRS)
    OrganisationMembership.objects.create(user=ours, organisation=riverside)
    OrganisationMembership.objects.create(user=theirs, organisation=northside)
    log(instance=ours, action="wagtail.edit", user=staff_user)
    erase_account(theirs, erased_by=staff_user, reason="Asked by letter")
    return riverside, ours, theirs


def csv_rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_entries_about_accounts_are_kept_apart_from_the_generic_log(riverside_and_northside):
    _riverside, ours, theirs = riverside_and_northside
    assert not ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User)
    ).exists()
    assert set(AccountLogEntry.objects.values_list("account_id", "action")) == {
        (ours.pk, "wagtail.edit"),
        (theirs.pk, "peerpath.account_erased"),
    }


def test_riverside_staff_see_their_learners_account_entries_but_not_northsides(
    riverside_and_northside,
):
    riverside, ours, _theirs = riverside_and_northside
    visible = AccountLogEntry.objects.viewable_by_user(org_staff(riverside))
    assert list(visible.values_list("account_id", flat=True)) == [ours.pk]


@report_runs_here
def test_the_site_history_report_is_scoped(client, riverside_and_northside):
    riverside, ours, theirs = riverside_and_northside
    client.force_login(org_staff(riverside))
    response = client.get(reverse(SITE_HISTORY))
    assert response.status_code == 200
    entries = response.context["object_list"]
    assert [
        (entry.action, entry.object_id) for entry in entries if isinstance(entry, AccountLogEntry)
    ] == [("wagtail.edit", ours.pk)]
    html = response.content.decode()
    assert f"Account {ours.pk}" in html
    assert "Personal data erased" not in html and OURS not in html


@report_runs_here
def test_the_site_history_export_is_scoped_too(client, riverside_and_northside):
    riverside, ours, theirs = riverside_and_northside
    client.force_login(org_staff(riverside))
    response = client.get(reverse(SITE_HISTORY), {"export": "csv"})
    rows = csv_rows(response)
    assert any(f"Account {ours.pk}" in row for row in rows)
    assert not any(f"Account {theirs.pk}" in row for row in rows)


def test_staff_without_a_user_permission_see_no_account_entries(riverside_and_northside):
    riverside, _ours, _theirs = riverside_and_northside
    member = UserFactory()
    add_editor(riverside, member)
    assert not AccountLogEntry.objects.viewable_by_user(member).exists()


def test_superusers_see_every_account_entry(staff_user, riverside_and_northside):
    _riverside, ours, theirs = riverside_and_northside
    accounts = set(
        AccountLogEntry.objects.viewable_by_user(staff_user).values_list("account_id", flat=True)
    )
    assert accounts == {ours.pk, theirs.pk}


def test_the_wagtail_user_admin_logs_edits_labelled_without_the_e_mail_address(client, staff_user):
    learner = UserFactory(username=OURS, email=OURS)
    client.force_login(staff_user)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[learner.pk]),
        {
            "username": OURS,
            "email": OURS,
            "first_name": "Riley",
            "last_name": "Ours",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    (entry,) = AccountLogEntry.objects.filter(account=learner)
    assert entry.action == "wagtail.edit"
    assert entry.label == f"Account {learner.pk}"


def test_entries_outlive_a_deleted_account(client, staff_user):
    learner = UserFactory(username=OURS, email=OURS)
    client.force_login(staff_user)
    client.post(reverse("wagtailusers_users:delete", args=[learner.pk]))
    assert not User.objects.filter(pk=learner.pk).exists()
    entry = AccountLogEntry.objects.get(account_id=learner.pk, action="wagtail.delete")
    assert OURS not in entry.label


def test_existing_entries_move_out_of_the_generic_log_and_lose_the_e_mail_address():
    migration = importlib.import_module(
        "peerpath.accounts.migrations.0006_move_account_log_entries"
    )
    learner = UserFactory(username=OURS, email=OURS)
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(learner.pk),
        label=OURS,
        action="wagtail.edit",
        timestamp=timezone.now(),
        data={"note": "kept"},
    )
    migration.forwards(apps, None)
    assert not ModelLogEntry.objects.filter(object_id=str(learner.pk)).exists()
    entry = AccountLogEntry.objects.get(account=learner)
    assert entry.action == "wagtail.edit" and entry.data == {"note": "kept"}
    assert entry.label == f"Account {learner.pk}"
