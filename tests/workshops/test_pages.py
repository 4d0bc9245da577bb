"""Workshop page types: tree rules, what the page shows, and in which order."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from peerpath.workshops.models import (
    ParticipantMaterial,
    WorkshopIndexPage,
    WorkshopLibraryPage,
    WorkshopPage,
)

from .admin_forms import workshop_form_data
from .factories import make_workshop

pytestmark = pytest.mark.django_db


class TestTreeRules(WagtailPageTestCase):
    def test_library_goes_anywhere_once_and_holds_organisation_indexes(self):
        self.assertCanCreateAt(HomePage, WorkshopLibraryPage)
        self.assertAllowedSubpageTypes(WorkshopLibraryPage, {WorkshopIndexPage})

    def test_organisation_indexes_are_never_created_by_hand(self):
        self.assertNotIn(WorkshopIndexPage, WorkshopLibraryPage.creatable_subpage_models())
        self.assertAllowedParentPageTypes(WorkshopIndexPage, {WorkshopLibraryPage})

    def test_workshops_live_only_in_organisation_indexes_and_are_leaves(self):
        self.assertAllowedParentPageTypes(WorkshopPage, {WorkshopIndexPage})
        self.assertAllowedSubpageTypes(WorkshopPage, set())


def test_pages_render(client, workshop, organisation):
    for page in (workshop, organisation.index_page, WorkshopLibraryPage.objects.get()):
        assert client.get(page.url).status_code == 200


def test_content_notes_come_before_the_content(client, organisation, programme):
    page = make_workshop(
        organisation.index_page, programme=programme, content_notes="Talk of self-harm."
    )
    html = client.get(page.url).content.decode()
    assert html.index("Talk of self-harm.") < html.index("<h1")


def test_session_plan_total_against_stated_duration(client, organisation, programme):
    fits = make_workshop(organisation.index_page, programme=programme, duration_minutes=90)
    assert fits.session_plan_minutes == 75
    assert "add up to 75 of the 90 minutes stated" in client.get(fits.url).content.decode()
    assert "15 minutes are left" in client.get(fits.url).content.decode()

    overruns = make_workshop(organisation.index_page, programme=programme, duration_minutes=60)
    html = client.get(overruns.url).content.decode()
    assert "The plan runs 15 minutes over." in html
    assert "session-timing--over" in html


def test_unrestricted_page_shows_safeguarding_contact(client, workshop):
    html = client.get(workshop.url).content.decode()
    assert "safeguarding@riverside.example" in html
    assert "Group agreements card" in html


def test_unpublished_workshop_is_404(client, organisation, programme):
    draft = make_workshop(organisation.index_page, programme=programme, live=False)
    assert client.get(draft.get_url()).status_code == 404


def test_publishing_without_a_programme_is_refused(client, editor, organisation):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["peerpath_workshops", "workshoppage", organisation.index_page.pk],
    )
    response = client.post(url, workshop_form_data(None))
    assert response.status_code == 200
    assert "Choose the programme" in response.content.decode()
    assert client.post(url, workshop_form_data(None, publish=False)).status_code == 302


def test_group_size_range_is_checked(client, editor, organisation, programme):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["peerpath_workshops", "workshoppage", organisation.index_page.pk],
    )
    response = client.post(url, workshop_form_data(programme, group_size_min=10, group_size_max=2))
    assert response.status_code == 200
    assert not WorkshopPage.objects.filter(slug="boundaries-and-self-care").exists()


def test_facilitator_only_document_cannot_be_listed_for_participants(
    workshop, facilitator_document
):
    material = ParticipantMaterial(page=workshop, document=facilitator_document)
    with pytest.raises(ValidationError, match="filed as facilitator-only"):
        material.full_clean()
