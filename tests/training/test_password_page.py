"""A page with a password restriction asks for the password in the site's design
(WAGTAIL_PASSWORD_REQUIRED_TEMPLATE), with its header and crisis signposting, not Wagtail's bare page."""

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import DEFAULT_PASSWORD
from tests.training.factories import build_programme

pytestmark = pytest.mark.django_db


def test_the_password_form_is_in_the_sites_design(client, training_index):
    programme = build_programme(training_index, title="Closed cohort")
    PageViewRestriction.objects.create(
        page=programme, restriction_type=PageViewRestriction.PASSWORD, password="circle-of-trust"
    )

    response = client.get(programme.url)

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "peerpath/password_required.html"
    html = response.content.decode()
    assert "This page needs a password" in html
    assert 'name="password"' in html
    assert "<main" in html  # the site's layout, with its landmarks


def test_a_page_for_signed_in_people_asks_them_to_log_in_in_the_sites_design(
    client, training_index, user
):
    programme = build_programme(training_index, title="Members only")
    PageViewRestriction.objects.create(page=programme, restriction_type=PageViewRestriction.LOGIN)

    login_page = client.get(programme.url, follow=True)

    assert [t.name for t in login_page.templates][0] == "peerpath/login_required.html"
    assert "This page is only open to people who are logged in." in login_page.content.decode()
    response = client.post(
        login_page.redirect_chain[-1][0],
        {"username": user.email, "password": DEFAULT_PASSWORD, "next": programme.url},
    )
    assert response.status_code == 302
    assert client.get(programme.url).status_code == 200
