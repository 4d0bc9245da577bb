"""A document belongs to the organisation whose collections hold it: another organisation's editor
can neither attach it (whatever id they post) nor open it by listing it on their own workshop."""

import pytest
from django.urls import reverse
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset

from peerpath.organisations.setup import add_editor
from peerpath.workshops.documents import can_download_document
from peerpath.workshops.models import FacilitatorMaterial, WorkshopPage

from .admin_forms import workshop_form_data
from .factories import certificate, make_document, make_workshop

pytestmark = pytest.mark.django_db

NOT_CHOOSABLE = "You cannot use this document: it is in a collection you may not use."
NOT_OURS = "Facilitator material must be filed in your organisation&#x27;s collections"


@pytest.fixture
def riverside_workshop(organisation, programme):
    return make_workshop(
        organisation.index_page, programme=programme, title="Riverside group", slug="riverside"
    )


@pytest.fixture
def northside_document(other_organisation):
    return make_document(
        "Northside crisis steps",
        collection=other_organisation.facilitator_collection,
        content=b"Northside facilitators only",
    )


@pytest.fixture
def riverside_facilitator(user, programme):
    """A holder of the programme Riverside's workshop requires (and Northside's would too)."""
    certificate(user, programme)
    return user


def listing(*documents):
    return inline_formset([{"document": document.pk, "note": ""} for document in documents])


def post_edit(client, workshop, programme, **lists):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[workshop.pk]),
        workshop_form_data(programme, title=workshop.title, slug=workshop.slug, **lists),
    )


def test_posting_another_organisations_document_id_is_refused_and_nothing_is_published(
    client, editor, riverside_workshop, programme, northside_document, riverside_facilitator
):
    revisions = riverside_workshop.revisions.count()
    client.force_login(editor)
    response = post_edit(
        client, riverside_workshop, programme, facilitator_materials=listing(northside_document)
    )
    assert response.status_code == 200
    assert NOT_CHOOSABLE in response.content.decode()
    assert not FacilitatorMaterial.objects.filter(document=northside_document).exists()
    assert riverside_workshop.revisions.count() == revisions
    client.force_login(riverside_facilitator)
    assert client.get(northside_document.url).status_code == 403


def test_a_draft_cannot_list_another_organisations_participant_document(
    client, editor, riverside_workshop, programme, other_organisation
):
    handout = make_document("Northside handout", collection=other_organisation.collection)
    revisions = riverside_workshop.revisions.count()
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[riverside_workshop.pk]),
        workshop_form_data(
            programme,
            publish=False,
            title=riverside_workshop.title,
            slug=riverside_workshop.slug,
            participant_materials=listing(handout),
        ),
    )
    assert response.status_code == 200
    assert NOT_CHOOSABLE in response.content.decode()
    assert riverside_workshop.revisions.count() == revisions


def test_only_newly_listed_documents_need_the_editors_permission_to_choose(
    client, editor, organisation, programme, home_page
):
    """A site-wide handout an administrator listed may stay when the editor saves the page; the
    editor may not list another one from that collection."""
    root = Collection.get_first_root_node()
    listed = make_document("Listed by an administrator", collection=root)
    another = make_document("Another site-wide handout", collection=root)
    workshop = make_workshop(
        organisation.index_page, programme=programme, participant_documents=[listed]
    )
    material = workshop.participant_materials.get()
    kept = inline_formset([{"id": material.pk, "document": listed.pk, "note": ""}], initial=1)
    client.force_login(editor)
    assert post_edit(client, workshop, programme, participant_materials=kept).status_code == 302

    added = inline_formset(
        [
            {"id": material.pk, "document": listed.pk, "note": ""},
            {"document": another.pk, "note": ""},
        ],
        initial=1,
    )
    response = post_edit(client, workshop, programme, participant_materials=added)
    assert response.status_code == 200
    assert NOT_CHOOSABLE in response.content.decode()
    assert [
        m.document for m in WorkshopPage.objects.get(pk=workshop.pk).participant_materials.all()
    ] == [listed]


def test_facilitator_material_must_be_the_workshops_own_organisations(
    client, editor, other_organisation, riverside_workshop, programme, northside_document
):
    """An editor of both organisations may choose Northside's documents, but listing one on a
    Riverside workshop would show Riverside's facilitators a link they cannot open."""
    add_editor(other_organisation, editor)
    client.force_login(editor)
    response = post_edit(
        client, riverside_workshop, programme, facilitator_materials=listing(northside_document)
    )
    assert response.status_code == 200
    assert NOT_OURS in response.content.decode()
    assert not FacilitatorMaterial.objects.filter(document=northside_document).exists()


def test_only_the_owning_organisations_workshops_unlock_its_document(
    client,
    riverside_workshop,
    other_organisation,
    programme,
    northside_document,
    riverside_facilitator,
):
    # As if written straight into the database, past every form.
    FacilitatorMaterial.objects.create(page=riverside_workshop, document=northside_document)
    assert not can_download_document(riverside_facilitator, northside_document)
    client.force_login(riverside_facilitator)
    response = client.get(northside_document.url)
    assert response.status_code == 403
    assert b"Northside facilitators only" not in response.content

    make_workshop(
        other_organisation.index_page,
        programme=programme,
        facilitator_documents=[northside_document],
    )
    assert client.get(northside_document.url).status_code == 200


def test_a_restricted_document_outside_every_organisation_opens_only_to_its_managers(
    client, riverside_workshop, riverside_facilitator, staff_user, home_page
):
    stray = make_document("Stray notes", collection=Collection.get_first_root_node())
    FacilitatorMaterial.objects.create(page=riverside_workshop, document=stray)
    assert not can_download_document(riverside_facilitator, stray)
    assert can_download_document(staff_user, stray)
