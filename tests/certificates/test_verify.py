import datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from peerpath.certificates.models import Certificate
from peerpath.ratelimit import is_rate_limited

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

GOOD = "7KQ2M9XD4TRAVB3H"


@pytest.fixture
def certificate(home_page, user):
    return CertificateFactory(
        holder=user,
        holder_name="Jamie Okafor",
        verification_code=GOOD,
        number="PSGF-2026-000042",
        issued_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 10)),
        expires_on=datetime.date(2099, 3, 2),
    )


def verify_url(code):
    return reverse("certificates:verify", args=[code])


def test_valid_certificate_shows_what_was_issued_and_nothing_else(client, certificate, user):
    response = client.get(verify_url("7KQ2-M9XD-4TRA-VB3H"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html and "1 March 2099" in html
    for text in ["Jamie Okafor", "Peer Support Group Facilitator", "PeerPath Test Network"]:
        assert text in html
    assert "PSGF-2026-000042" in html and "2 March 2026" in html
    assert user.email not in html
    assert '<meta name="robots" content="noindex' in html


@pytest.mark.parametrize(
    "code", ["7kq2-m9xd-4tra-vb3h", "7KQ2M9XD4TRAVB3H", "7kq2m9xd4travb3h", "7KQ2-M9XD4TRA-VB3H"]
)
def test_codes_are_case_insensitive_and_dashes_optional(client, certificate, code):
    response = client.get(verify_url(code))
    assert response.status_code == 200
    assert b"Jamie Okafor" in response.content


def test_expired_shows_expired_on_date(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=datetime.date(2026, 5, 1))
    html = client.get(verify_url(GOOD)).content.decode()
    assert "Expired on 1 May 2026" in html


def test_revoked_shows_revoked_on_date_but_not_the_reason(client, certificate, staff_user):
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.make_aware(datetime.datetime(2026, 6, 9, 9)),
        revoked_by=staff_user,
        revocation_reason="Confidential disciplinary matter",
    )
    html = client.get(verify_url(GOOD)).content.decode()
    assert "Revoked on 9 June 2026" in html
    assert "disciplinary" not in html


def test_relinquished_shows_no_longer_held(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(relinquished_at=timezone.now())
    html = client.get(verify_url(GOOD)).content.decode()
    assert "No longer held" in html


def test_superseded_shows_no_longer_held_without_revealing_the_new_certificate(
    client, certificate, user
):
    newer = CertificateFactory(holder=user, cycle=2, supersedes=certificate)
    html = client.get(verify_url(GOOD)).content.decode()
    assert "No longer held" in html and "replaced by a newer one" in html
    assert newer.number not in html and newer.display_code not in html


@pytest.mark.parametrize(
    "code",
    [
        "ZZZZ-ZZZZ-ZZZZ-ZZZZ",  # well-formed, unknown
        "0000-1111-IIII-OOOO",  # ambiguous characters are never used
        "short",
        "7KQ2-M9XD-4TRA-VB3H-EXTRA",
        "x" * 5000,
        "<script>alert(1)</script>",
        "%00",
    ],
)
def test_malformed_or_unknown_codes_get_the_site_404_page(client, certificate, code):
    response = client.get(f"/certificates/verify/{quote(code, safe='')}/")
    assert response.status_code == 404
    assert b"not found</h1>" in response.content  # ours, or the site's for unroutable paths
    assert b"peerpath/css/peerpath.css" in response.content
    assert b"Jamie Okafor" not in response.content
    assert b"<script>alert" not in response.content


def test_verify_form_shows_a_verify_button(client, home_page):
    response = client.get(reverse("certificates:verify_form"))
    assert response.status_code == 200
    assert b'<button type="submit" class="button">Verify</button>' in response.content


def test_verify_form_redirects_to_the_page(client, certificate):
    response = client.get(reverse("certificates:verify_form"), {"code": " 7kq2 m9xd 4tra vb3h "})
    assert response.status_code == 302
    assert response["Location"] == verify_url("7KQ2-M9XD-4TRA-VB3H")


@pytest.mark.parametrize("code", ["", "nonsense", "x" * 500])
def test_verify_form_explains_bad_codes(client, home_page, code):
    response = client.get(reverse("certificates:verify_form"), {"code": code})
    assert response.status_code == 400
    assert b"There is a problem" in response.content


def test_verify_only_answers_get(client, certificate):
    assert client.post(verify_url(GOOD)).status_code == 405


def test_verification_page_uses_at_most_three_queries(
    client, certificate, django_assert_max_num_queries
):
    client.get(verify_url(GOOD))  # the first visit fills the layout cache
    with django_assert_max_num_queries(3):
        response = client.get(verify_url(GOOD))
    assert response.status_code == 200


def test_layout_cache_follows_settings_changes(client, certificate, home_page):
    from wagtail.models import Site

    from peerpath.models import OrganisationSettings

    client.get(verify_url(GOOD))
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.name = "Renamed Network"
    organisation.save()
    assert b"Renamed Network" in client.get(verify_url(GOOD)).content


def test_rate_limit_gives_a_clear_429_per_client(client, certificate, settings):
    settings.PEERPATH_VERIFY_RATE_LIMIT = (3, 60)
    for _ in range(3):
        assert client.get(verify_url(GOOD)).status_code == 200
    response = client.get(verify_url(GOOD))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert b"Too many checks" in response.content
    assert b"Jamie Okafor" not in response.content
    other_client = client.get(verify_url(GOOD), REMOTE_ADDR="192.0.2.7")
    assert other_client.status_code == 200


def test_rate_limit_counts_unknown_codes_too(client, home_page, settings):
    settings.PEERPATH_VERIFY_RATE_LIMIT = (2, 60)
    codes = ["AAAA-AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC-CCCC"]
    statuses = [client.get(verify_url(code)).status_code for code in codes]
    assert statuses == [404, 404, 429]


def test_rate_limit_is_kept_in_the_shared_cache(rf, settings):
    settings.PEERPATH_VERIFY_RATE_LIMIT = (1, 60)
    request = rf.get("/", REMOTE_ADDR="2001:db8::1")
    assert not is_rate_limited(request, "verify")
    # Another address in the same IPv6 /64 shares the limit, and the count lives in the cache.
    assert is_rate_limited(rf.get("/", REMOTE_ADDR="2001:db8::2"), "verify")
    assert cache.get("peerpath:ratelimit:verify:2001:db8::/64") == 2


def test_holder_who_asked_for_initials_is_shown_by_initials(
    client, certificate, user, django_assert_max_num_queries
):
    from peerpath.accounts.models import Profile

    Profile.objects.filter(user=user).update(show_initials_only=True)
    client.get(verify_url(GOOD))
    with django_assert_max_num_queries(3):
        html = client.get(verify_url(GOOD)).content.decode()
    assert "J. O." in html and "Jamie Okafor" not in html
