"""Signposting categories and local services: each organisation starts with the usual categories,
keeps its own lists in the admin (its own only), and its facilitators see its services beside the
crisis lines."""

import pytest
from django.urls import reverse

from peerpath.meetings.models import LocalService, SignpostingCategory
from tests.organisations.factories import OrganisationFactory

from .debrief_fixtures import *  # noqa: F403 - the fixtures: an ended session and its roster
from .debrief_fixtures import debrief_url

pytestmark = pytest.mark.django_db

CATEGORIES = "meetings_signposting"
SERVICES = "meetings_local_services"


@pytest.fixture
def service(organisation):
    return LocalService.objects.create(
        organisation=organisation,
        name="Riverside Talking Therapies",
        description="Free talking therapy; self-referral.",
        phone="01632 960123",
        website="https://talking.example",
        opening_hours="Mon–Fri 9:00–17:00",
    )


@pytest.fixture
def northside_service(other_organisation):
    return LocalService.objects.create(organisation=other_organisation, name="Northside Drop-in")


def category_data(organisation, **overrides):
    data = {"organisation": str(organisation.pk), "name": "Housing advice", "sort_order": "4"}
    data["active"] = "on"
    data.update(overrides)
    return data


# --- Defaults ---------------------------------------------------------------------------------


def test_a_new_organisation_starts_with_the_usual_categories(home_page):
    organisation = OrganisationFactory(name="Eastside Circle", slug="eastside")
    names = list(
        SignpostingCategory.objects.filter(organisation=organisation).values_list("name", flat=True)
    )
    assert names == ["Crisis line", "GP or mental-health team", "Other local service"]
    assert all(
        SignpostingCategory.objects.filter(organisation=organisation).values_list(
            "active", flat=True
        )
    )


# --- Shown to facilitators ----------------------------------------------------------------------


def test_local_services_are_shown_on_the_debrief_page(
    client, ended, facilitator, service, northside_service
):
    client.force_login(facilitator)
    html = client.get(debrief_url(ended)).content.decode()
    assert "Riverside Talking Therapies" in html and "01632 960123" in html
    assert "Mon–Fri 9:00–17:00" in html and "https://talking.example" in html
    assert "Crisis lines" in html
    assert "Northside Drop-in" not in html


def test_local_services_are_shown_on_the_roster_page(client, ended, facilitator, service):
    client.force_login(facilitator)
    html = client.get(reverse("meetings:roster", args=[ended.pk])).content.decode()
    assert "Riverside Talking Therapies" in html


def test_without_local_services_the_page_says_so(client, ended, facilitator):
    client.force_login(facilitator)
    html = client.get(debrief_url(ended)).content.decode()
    assert "has not listed any local services yet" in html


def test_a_retired_category_is_no_longer_offered_in_the_debrief(
    client, ended, facilitator, organisation
):
    SignpostingCategory.objects.filter(organisation=organisation, name="Crisis line").update(
        active=False
    )
    client.force_login(facilitator)
    html = client.get(debrief_url(ended)).content.decode()
    assert "GP or mental-health team" in html
    assert ">Crisis line<" not in html


# --- Categories in the admin ----------------------------------------------------------------


def test_staff_add_a_category_to_their_organisation(client, editor, organisation):
    client.force_login(editor)
    response = client.post(reverse(f"{CATEGORIES}:add"), category_data(organisation))
    assert response.status_code == 302
    assert SignpostingCategory.objects.get(name="Housing advice").organisation == organisation


def test_the_organisation_is_chosen_for_staff_of_one(client, editor, organisation):
    client.force_login(editor)
    html = client.get(reverse(f"{CATEGORIES}:add")).content.decode()
    assert f'value="{organisation.pk}" selected' in html
    assert "Northside" not in html


def test_staff_cannot_add_a_category_to_another_organisation(client, editor, other_organisation):
    client.force_login(editor)
    response = client.post(reverse(f"{CATEGORIES}:add"), category_data(other_organisation))
    assert response.status_code == 200  # the form again, with its error
    assert not SignpostingCategory.objects.filter(name="Housing advice").exists()


def test_a_duplicate_name_is_a_form_error(client, editor, organisation):
    client.force_login(editor)
    response = client.post(
        reverse(f"{CATEGORIES}:add"), category_data(organisation, name="Crisis line")
    )
    assert response.status_code == 200
    assert SignpostingCategory.objects.filter(organisation=organisation).count() == 3


def test_staff_retire_a_category_and_cannot_move_it(
    client, editor, organisation, other_organisation
):
    category = SignpostingCategory.objects.get(organisation=organisation, name="Crisis line")
    client.force_login(editor)
    response = client.post(
        reverse(f"{CATEGORIES}:edit", args=[category.pk]),
        {
            "organisation": str(other_organisation.pk),
            "name": "Crisis line",
            "sort_order": "1",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.active is False and category.organisation == organisation


def test_categories_are_never_deleted(client, editor, staff_user, organisation):
    category = SignpostingCategory.objects.filter(organisation=organisation).first()
    for person in (editor, staff_user):
        client.force_login(person)
        response = client.post(reverse(f"{CATEGORIES}:delete", args=[category.pk]))
        assert response.status_code in {302, 403, 404}
    assert SignpostingCategory.objects.filter(pk=category.pk).exists()


def test_staff_list_and_open_only_their_own_categories(
    client, editor, organisation, other_organisation
):
    northside = SignpostingCategory.objects.create(
        organisation=other_organisation, name="Northside befriending"
    )
    client.force_login(editor)
    listing = client.get(reverse(f"{CATEGORIES}:index")).content.decode()
    assert "Crisis line" in listing and "Northside befriending" not in listing
    assert client.get(reverse(f"{CATEGORIES}:edit", args=[northside.pk])).status_code == 404
    response = client.post(
        reverse(f"{CATEGORIES}:edit", args=[northside.pk]),
        {"name": "Taken over", "sort_order": "1"},
    )
    assert response.status_code == 404
    northside.refresh_from_db()
    assert northside.name == "Northside befriending"


def test_facilitators_and_participants_cannot_manage_categories(client, facilitator, user):
    for person in (facilitator, user):
        client.force_login(person)
        assert client.get(reverse(f"{CATEGORIES}:index")).status_code in {302, 403}


# --- Local services in the admin --------------------------------------------------------------


def test_staff_add_edit_and_delete_a_local_service(client, editor, organisation):
    client.force_login(editor)
    response = client.post(
        reverse(f"{SERVICES}:add"),
        {
            "organisation": str(organisation.pk),
            "name": "Riverside Food Bank",
            "website": "https://food.example",
            "sort_order": "0",
        },
    )
    assert response.status_code == 302
    service = LocalService.objects.get(name="Riverside Food Bank")
    assert service.organisation == organisation

    response = client.post(
        reverse(f"{SERVICES}:edit", args=[service.pk]),
        {"name": "Riverside Food Bank", "phone": "01632 960999", "sort_order": "0"},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.phone == "01632 960999"

    response = client.post(reverse(f"{SERVICES}:delete", args=[service.pk]))
    assert response.status_code == 302
    assert not LocalService.objects.filter(pk=service.pk).exists()


def test_a_bad_website_is_a_form_error(client, editor, organisation):
    client.force_login(editor)
    response = client.post(
        reverse(f"{SERVICES}:add"),
        {
            "organisation": str(organisation.pk),
            "name": "X",
            "website": "not a url",
            "sort_order": "0",
        },
    )
    assert response.status_code == 200
    assert not LocalService.objects.exists()


def test_staff_of_another_organisation_get_404_on_its_services(client, other_editor, service):
    client.force_login(other_editor)
    assert client.get(reverse(f"{SERVICES}:edit", args=[service.pk])).status_code == 404
    assert client.post(reverse(f"{SERVICES}:delete", args=[service.pk])).status_code == 404
    assert LocalService.objects.filter(pk=service.pk).exists()
    listing = client.get(reverse(f"{SERVICES}:index")).content.decode()
    assert "Riverside Talking Therapies" not in listing
