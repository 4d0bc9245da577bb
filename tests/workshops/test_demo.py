"""The workshops part of `load_demo`: organisations, editors, workshops, documents; idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from wagtail.documents import get_document_model

from home import demo_workshops as demo
from home.demo import DEMO_PASSWORD
from peerpath.organisations.models import Organisation
from peerpath.workshops.documents import can_download_document
from peerpath.workshops.models import FacilitatorMaterial, WorkshopPage
from tests.certificates.factories import make_programme

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organisation.objects.count(),
        WorkshopPage.objects.count(),
        get_document_model().objects.count(),
        get_user_model().objects.count(),
    )


def test_demo_creates_organisations_workshops_and_documents_once(home_page):
    programme = make_programme(home_page)
    demo.load(stdout=io.StringIO())
    first = _counts()
    demo.load(stdout=io.StringIO())
    assert _counts() == first
    assert first[:2] == (2, 4)
    assert set(WorkshopPage.objects.values_list("format", flat=True)) == {
        "support_group",
        "workshop",
        "mentoring",
        "online_group",
    }
    assert all(workshop.live for workshop in WorkshopPage.objects.all())
    assert set(WorkshopPage.objects.values_list("programme", flat=True)) == {programme.pk}


def test_demo_documents_fall_on_both_sides_of_the_rule(home_page, user):
    make_programme(home_page)
    demo.load(stdout=io.StringIO())
    restricted = {material.document for material in FacilitatorMaterial.objects.all()}
    assert restricted
    for document in get_document_model().objects.all():
        assert can_download_document(user, document) is (document not in restricted)


def test_demo_editors_can_log_in(client, home_page):
    demo.load(stdout=io.StringIO())
    for email in ("editor@riverside.example", "editor@northside.example"):
        assert client.login(username=email, password=DEMO_PASSWORD)
        assert client.get("/admin/").status_code == 200


def test_demo_without_training_programme_still_loads_and_links_later(home_page):
    output = io.StringIO()
    demo.load(stdout=output)
    assert "no PSGF programme" in output.getvalue()
    assert not WorkshopPage.objects.filter(programme__isnull=False).exists()
    programme = make_programme(home_page)
    demo.load(stdout=io.StringIO())
    assert set(WorkshopPage.objects.values_list("programme", flat=True)) == {programme.pk}
