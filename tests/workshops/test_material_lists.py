"""A document listed twice is a form error for the editor, never a database error."""

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset

from peerpath.workshops.models import WorkshopPage
from tests.workshops.admin_forms import workshop_form_data


def test_listing_the_same_facilitator_document_twice_is_a_form_error(
    client, editor, organisation, programme, facilitator_document
):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["peerpath_workshops", "workshoppage", organisation.index_page.pk],
    )
    twice = inline_formset(
        [
            {"document": facilitator_document.pk, "note": ""},
            {"document": facilitator_document.pk, "note": ""},
        ]
    )
    response = client.post(url, workshop_form_data(programme, facilitator_materials=twice))
    assert response.status_code == 200
    assert "This document is already in the list." in response.content.decode()
    assert not WorkshopPage.objects.filter(slug="boundaries-and-self-care").exists()

    once = inline_formset([{"document": facilitator_document.pk, "note": ""}])
    response = client.post(url, workshop_form_data(programme, facilitator_materials=once))
    assert response.status_code == 302
    page = WorkshopPage.objects.get(slug="boundaries-and-self-care")
    assert page.facilitator_materials.count() == 1
