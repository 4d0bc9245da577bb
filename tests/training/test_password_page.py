"""A page with a password restriction asks for the password in the site's design
(WAGTAIL_PASSWORD_REQUIRED_TEMPLATE), with its header and crisis signposting, not Wagtail's bare page."""

import pytest
from wagtail.models import PageViewRestriction

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
