"""Organisations: set-up, and editors confined to their own subtree through the admin views."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupPagePermission, Page

from peerpath.organisations.models import Organisation
from peerpath.organisations.setup import set_up_organisation
from peerpath.workshops.models import WorkshopIndexPage, WorkshopPage

from .admin_forms import workshop_form_data
from .factories import make_document, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop_a(organisation, programme):
    return make_workshop(organisation.index_page, programme=programme, title="Riverside group")


@pytest.fixture
def workshop_b(other_organisation, programme):
    return make_workshop(
        other_organisation.index_page, programme=programme, title="Northside group"
    )


def _title(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object().title


def test_creating_organisation_in_admin_sets_it_up(client, staff_user, home_page):
    client.force_login(staff_user)
    response = client.post(
        reverse("wagtailsnippets_peerpath_organisations_organisation:add"),
        {
            "name": "Eastgate Carers Circle",
            "slug": "eastgate",
            "website": "https://eastgate.example",
            "about": "Carers supporting carers.",
            "safeguarding_contact_name": "Priya Shah",
            "safeguarding_email": "safeguarding@eastgate.example",
            "safeguarding_phone": "",
            "time_zone": "Europe/London",
            "logo": "",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="eastgate")
    index = organisation.index_page
    assert index.live and index.get_parent().specific_class.__name__ == "WorkshopLibraryPage"
    assert index.get_parent().slug == "workshop-library"
    assert organisation.editors_group.name == "Eastgate Carers Circle editors"
    permissions = GroupPagePermission.objects.filter(group=organisation.editors_group)
    assert {p.page_id for p in permissions} == {index.pk}
    assert {p.permission.codename for p in permissions} == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }
    assert organisation.editors_group.permissions.filter(codename="access_admin").exists()
    assert organisation.facilitator_collection.get_parent() == organisation.collection


def test_organisation_without_safeguarding_contact_details_is_refused(
    client, staff_user, home_page
):
    client.force_login(staff_user)
    response = client.post(
        reverse("wagtailsnippets_peerpath_organisations_organisation:add"),
        {"name": "Nowhere", "slug": "nowhere", "safeguarding_contact_name": "Someone"},
    )
    assert response.status_code == 200
    assert b"Give a safeguarding e-mail address or phone number." in response.content
    assert not Organisation.objects.filter(slug="nowhere").exists()


def test_set_up_is_idempotent(organisation):
    counts = (
        WorkshopIndexPage.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
    )
    set_up_organisation(organisation)
    set_up_organisation(organisation)
    assert counts == (
        WorkshopIndexPage.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
    )


def test_renaming_organisation_renames_its_group(client, staff_user, organisation):
    client.force_login(staff_user)
    url = reverse(
        "wagtailsnippets_peerpath_organisations_organisation:edit", args=[organisation.pk]
    )
    response = client.post(
        url,
        {
            "name": "Riverside Peer Network",
            "slug": "riverside",
            "safeguarding_contact_name": "Lead",
            "safeguarding_email": "safe@riverside.example",
            "time_zone": "Europe/London",
            "logo": "",
        },
    )
    assert response.status_code == 302
    organisation.editors_group.refresh_from_db()
    assert organisation.editors_group.name == "Riverside Peer Network editors"


# Editors through the admin views


def test_editor_can_publish_a_new_workshop_in_own_subtree(client, editor, organisation, programme):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["peerpath_workshops", "workshoppage", organisation.index_page.pk],
    )
    response = client.post(url, workshop_form_data(programme))
    assert response.status_code == 302
    page = WorkshopPage.objects.get(slug="boundaries-and-self-care")
    assert page.live
    assert page.get_parent().pk == organisation.index_page.pk


def test_publishing_without_safety_protocol_is_refused_but_draft_is_saved(
    client, editor, organisation, programme
):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["peerpath_workshops", "workshoppage", organisation.index_page.pk],
    )
    response = client.post(url, workshop_form_data(programme, safety_protocol=""))
    assert response.status_code == 200
    assert not WorkshopPage.objects.filter(slug="boundaries-and-self-care").exists()

    response = client.post(url, workshop_form_data(programme, safety_protocol="", publish=False))
    assert response.status_code == 302
    assert not WorkshopPage.objects.get(slug="boundaries-and-self-care").live


def test_editor_can_edit_own_workshop(client, editor, workshop_a, programme):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[workshop_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, workshop_form_data(programme, title="Renamed", slug=workshop_a.slug)
    )
    assert response.status_code == 302
    assert WorkshopPage.objects.get(pk=workshop_a.pk).title == "Renamed"


def test_editor_cannot_open_another_organisations_page_for_editing(client, editor, workshop_b):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[workshop_b.pk]))
    assert response.status_code in (302, 403)
    assert b"Northside group" not in response.content


def test_editor_cannot_edit_or_publish_another_organisations_page(
    client, editor, workshop_b, programme
):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[workshop_b.pk])
    response = client.post(
        url, workshop_form_data(programme, title="Hijacked", slug=workshop_b.slug)
    )
    assert response.status_code in (302, 403)
    assert WorkshopPage.objects.get(pk=workshop_b.pk).title == "Northside group"
    assert _title(workshop_b) == "Northside group"


def test_editor_cannot_create_under_another_organisations_index(
    client, editor, other_organisation, programme
):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["peerpath_workshops", "workshoppage", other_organisation.index_page.pk],
    )
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, workshop_form_data(programme))
    assert response.status_code in (302, 403)
    assert not WorkshopPage.objects.filter(slug="boundaries-and-self-care").exists()


def test_editor_cannot_delete_or_unpublish_another_organisations_page(client, editor, workshop_b):
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[workshop_b.pk]))
    assert response.status_code in (302, 403)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[workshop_b.pk]))
    assert response.status_code in (302, 403)
    assert WorkshopPage.objects.get(pk=workshop_b.pk).live


def test_editor_can_delete_own_workshop(client, editor, workshop_a):
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[workshop_a.pk]))
    assert response.status_code == 302
    assert not WorkshopPage.objects.filter(pk=workshop_a.pk).exists()


def test_editor_cannot_delete_own_organisation_index(client, editor, organisation):
    client.force_login(editor)
    index = organisation.index_page
    response = client.post(reverse("wagtailadmin_pages:delete", args=[index.pk]))
    assert response.status_code in (302, 403)
    assert WorkshopIndexPage.objects.filter(pk=index.pk).exists()


def test_unknown_page_id_in_admin_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[999999])).status_code == 404


def test_editor_cannot_manage_organisations(client, editor, organisation):
    client.force_login(editor)
    url = reverse(
        "wagtailsnippets_peerpath_organisations_organisation:edit", args=[organisation.pk]
    )
    assert client.get(url).status_code in (302, 403)


def test_editor_cannot_open_another_organisations_documents(client, editor, other_organisation):
    theirs = make_document("Northside rota", collection=other_organisation.collection)
    client.force_login(editor)
    response = client.get(reverse("wagtaildocs:edit", args=[theirs.pk]))
    assert response.status_code in (302, 403)
    listing = client.get(reverse("wagtaildocs:index")).content.decode()
    assert "Northside rota" not in listing


def test_editor_uploads_into_own_collections_only(client, editor, organisation, other_organisation):
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Sneaky",
            "collection": other_organisation.collection.pk,
            "file": SimpleUploadedFile("sneaky.txt", b"hello"),
        },
    )
    assert response.status_code == 200
    assert not get_document_model().objects.filter(title="Sneaky").exists()


def test_huge_document_upload_is_refused_with_a_message(client, editor, organisation, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Huge",
            "collection": organisation.collection.pk,
            "file": SimpleUploadedFile("huge.txt", b"x" * 4096),
        },
    )
    assert response.status_code == 200
    assert "too big" in response.content.decode()
    assert not get_document_model().objects.filter(title="Huge").exists()


def test_deleting_an_organisation_with_workshops_is_refused_not_500(
    client, staff_user, organisation, workshop_a
):
    client.force_login(staff_user)
    url = reverse(
        "wagtailsnippets_peerpath_organisations_organisation:delete", args=[organisation.pk]
    )
    response = client.post(url)
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert WorkshopPage.objects.filter(pk=workshop_a.pk).exists()


def test_organisation_without_index_page_can_be_deleted(client, staff_user, organisation):
    client.force_login(staff_user)
    organisation.index_page.delete()
    url = reverse(
        "wagtailsnippets_peerpath_organisations_organisation:delete", args=[organisation.pk]
    )
    assert client.post(url).status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
