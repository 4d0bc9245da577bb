"""The facilitation report shows organisation staff their own organisations' learners only (the
one scoping rule, `peerpath.scope`)."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from peerpath.organisations.models import OrganisationMembership
from tests.factories import UserFactory

from .factories import LogEntryFactory

pytestmark = pytest.mark.django_db

REPORT = "workshops_facilitation_report"


@pytest.fixture
def report_viewer(editor):
    """Riverside staff allowed to see the facilitation report."""
    editor.user_permissions.add(Permission.objects.get(codename="view_facilitationlogentry"))
    return editor


@pytest.fixture
def facilitators(organisation, other_organisation, workshop):
    """One facilitator of each organisation, and one who belongs to none; all have logged."""
    people = {
        "ours": UserFactory(email="ours@example.org"),
        "theirs": UserFactory(email="theirs@example.org"),
        "nobodys": UserFactory(email="nobodys@example.org"),
    }
    OrganisationMembership.objects.create(user=people["ours"], organisation=organisation)
    OrganisationMembership.objects.create(user=people["theirs"], organisation=other_organisation)
    for person in people.values():
        LogEntryFactory(facilitator=person, workshop=workshop)
    return people


def exported_emails(client):
    response = client.get(reverse(REPORT), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    return sorted(row["E-mail"] for row in csv.DictReader(io.StringIO(content)))


def test_organisation_staff_see_only_their_organisations_facilitators(
    client, report_viewer, facilitators
):
    client.force_login(report_viewer)
    html = client.get(reverse(REPORT)).content.decode()
    assert "ours@example.org" in html
    assert "theirs@example.org" not in html
    assert "nobodys@example.org" not in html
    assert exported_emails(client) == ["ours@example.org"]
