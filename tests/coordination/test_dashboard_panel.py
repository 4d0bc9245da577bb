"""The coordinator's panel on the admin home page (coordination/dashboard.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerpath.coordination.dashboard import CoordinatorPanel
from tests.certificates.factories import CertificateFactory
from tests.coordination.conftest import make_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expiring(organisation, runs_programme):
    runs_programme.save()  # a ParentalManyToManyField is written when the page is saved
    today = datetime.date.today()
    people = []
    for number in range(7):
        person = make_member(organisation, first_name=f"Robin{number}", last_name="Renew")
        CertificateFactory(
            holder=person, programme=runs_programme, expires_on=today + datetime.timedelta(10)
        )
        people.append(person)
    return people


def home(client, user):
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home"))


def test_a_coordinator_sees_their_organisation_at_a_glance(client, coordinator, organisation):
    response = home(client, coordinator)
    html = response.content.decode()
    assert f"{organisation.name} at a glance" in html
    assert "Certification at a glance" not in html
    assert "People who need attention" in html
    assert "<script" not in html.split("at a glance", 1)[1].split("</section>", 1)[0]


def test_people_who_need_attention_are_named_up_to_five(client, coordinator, expiring):
    html = home(client, coordinator).content.decode()
    named = [person for person in expiring if person.first_name in html]
    assert len(named) == 5
    assert "7 certificates in all." in html
    assert "state=expiring" in html


def test_a_learner_sees_no_panel(client, member, organisation):
    response = home(client, member)
    assert f"{organisation.name} at a glance" not in response.content.decode()


def test_a_superuser_keeps_the_site_wide_panel(client, organisation):
    html = home(client, UserFactory(is_superuser=True, is_staff=True)).content.decode()
    assert "Certification at a glance" in html
    assert f"{organisation.name} at a glance" not in html


def test_the_panel_takes_the_same_queries_however_many_people(organisation, expiring):
    panel = CoordinatorPanel(organisation)
    with CaptureQueriesContext(connection) as seven:
        panel.render_html({})
    for number in range(10):
        person = make_member(organisation, first_name=f"More{number}")
        CertificateFactory(
            holder=person,
            programme=expiring[0].certificates.first().programme,
            expires_on=datetime.date.today() + datetime.timedelta(20),
        )
    with CaptureQueriesContext(connection) as seventeen:
        panel.render_html({})
    assert len(seventeen.captured_queries) == len(seven.captured_queries)
