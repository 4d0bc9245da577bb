import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from peerpath.certificates import issuing

pytestmark = pytest.mark.django_db


def panel(rf, user):
    request = rf.get("/training/my/")
    request.user = user
    (hook,) = [
        fn
        for fn in hooks.get_hooks("peerpath_my_training_panels")
        if "certificates" in fn.__module__
    ]
    return hook(request, [])


def test_panel_lists_status_expiry_download_and_a_copyable_link(rf, user, programme, issue):
    certificate = issue(user, programme)
    html = panel(rf, user)
    assert "Download certificate (PDF)" in html
    assert f'href="{certificate.get_pdf_url()}"' in html
    assert "Valid" in html and certificate.valid_until.strftime("%-d %B %Y") in html
    link = re.search(r'<input type="text" id="(verify-link-\d+)" value="([^"]+)" readonly', html)
    assert link and link.group(2) == f"http://testserver{certificate.get_absolute_url()}"
    assert f'data-copy="{link.group(1)}"' in html
    assert f'<label for="{link.group(1)}">' in html


def test_panel_shows_current_certificates_only(rf, user, staff_user, programme, issue):
    old = issue(user, programme, timezone.now() - datetime.timedelta(days=800))
    new = issuing.renew(old, by=staff_user)
    html = panel(rf, user)
    assert new.number in html and old.number not in html


def test_panel_shows_revoked_status(rf, user, staff_user, programme, issue):
    certificate = issue(user, programme)
    issuing.revoke(certificate, staff_user, "Reason")
    assert "Revoked on" in panel(rf, user)


def test_panel_never_shows_other_peoples_certificates(rf, user, other_user, programme, issue):
    certificate = issue(other_user, programme)
    html = panel(rf, user)
    assert certificate.number not in html
    assert "You have no certificates yet" in html


def test_panel_query_count_does_not_grow_with_certificates(
    rf, user, home_page, issue, django_assert_max_num_queries
):
    from .factories import make_programme

    for code in ["AA", "BB", "CC"]:
        issue(user, make_programme(home_page, title=f"Programme {code}", code=code))
    with django_assert_max_num_queries(1):
        panel(rf, user)


def test_my_training_page_includes_the_panel(client, user, programme, issue):
    issue(user, programme)
    client.force_login(user)
    response = client.get(reverse("training:my_training"))
    assert response.status_code == 200
    assert b"Download certificate (PDF)" in response.content
