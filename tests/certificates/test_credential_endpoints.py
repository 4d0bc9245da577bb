"""The public Open Badges 3.0 endpoints as HTTP: bad codes, downloads, media types, CORS, the
rate limit, methods, and what they cost in queries."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerpath.certificates import issuing
from peerpath.certificates.models import Certificate
from peerpath.certificates.status_list import LIST_SIZE
from tests.factories import UserFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

CERTIFICATE_ENDPOINTS = {
    "credential_jwt": ("application/vc+jwt", ".jwt"),
    "credential_json": ("application/vc+ld+json", ".json"),
    "badge_png": ("image/png", ".png"),
}
NAMES = sorted(CERTIFICATE_ENDPOINTS)
SITE_PATHS = [
    "/certificates/issuer/jwks.json",
    "/certificates/issuer/profile.json",
    "/certificates/status/revocation/1",
    "/certificates/status/suspension/1.json",
]


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def url(name, certificate, query=""):
    return reverse(f"certificates:{name}", args=[certificate.display_code]) + query


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "code",
    [
        "ZZZZ-ZZZZ-ZZZZ-ZZZZ",  # well-formed, unknown
        "0000-1111-IIII-OOOO",  # characters codes never use
        "short",
        "7KQ2-M9XD-4TRA-VB3H-EXTRA",
        "x" * 5000,
        "<script>alert(1)",  # (a "/" would not reach the view: no route matches)
        "%00",
        "é",
    ],
    ids=["unknown", "ambiguous", "short", "long", "huge", "markup", "nul", "accent"],
)
def test_unknown_or_malformed_codes_get_a_json_404(client, certificate, name, code):
    path = reverse(f"certificates:{name}", args=["CODE"]).replace("CODE", quote(code, safe=""))
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "No certificate has this code."}
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("name", NAMES)
def test_codes_are_read_as_on_the_verification_page(client, certificate, name):
    code = certificate.display_code
    for variant in (code.lower(), code.replace("-", "")):
        path = reverse(f"certificates:{name}", args=[variant])
        assert client.get(path).status_code == 200, variant


@pytest.mark.parametrize("name", NAMES)
def test_media_types_and_cors(client, certificate, name):
    content_type, _extension = CERTIFICATE_ENDPOINTS[name]
    response = client.get(url(name, certificate))
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("name", NAMES)
def test_download_is_an_attachment_named_by_the_certificate_number(client, certificate, name):
    _content_type, extension = CERTIFICATE_ENDPOINTS[name]
    response = client.get(url(name, certificate, "?download"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{certificate.number}{extension}"'
    )
    if name == "credential_json":  # (signatures differ from one signing to the next)
        assert response.content == client.get(url(name, certificate)).content


def test_site_endpoints_media_types_and_cors(client, certificate):
    expected = {
        "/certificates/issuer/jwks.json": "application/jwk-set+json",
        "/certificates/issuer/profile.json": "application/ld+json",
        "/certificates/status/revocation/1": "application/vc+jwt",
        "/certificates/status/suspension/1.json": "application/vc+ld+json",
    }
    for path, content_type in expected.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].split(";")[0] == content_type, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "public, max-age=" in response["Cache-Control"], path


def test_the_rate_limit_answers_429_in_json_per_client(client, certificate, settings):
    settings.PEERPATH_VERIFY_RATE_LIMIT = (3, 60)
    paths = [url(name, certificate) for name in NAMES]
    assert [client.get(path).status_code for path in paths] == [200, 200, 200]
    response = client.get(url("credential_jwt", certificate))
    assert response.status_code == 429
    assert response.json() == {"error": "Too many requests."}
    assert response["Access-Control-Allow-Origin"] == "*"
    # Unknown codes count too, and another client is not held back.
    assert client.get("/certificates/ZZZZ-ZZZZ-ZZZZ-ZZZZ/credential.jwt").status_code == 429
    other = client.get(url("credential_jwt", certificate), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_the_limit_is_shared_with_the_verification_page(client, certificate, settings):
    settings.PEERPATH_VERIFY_RATE_LIMIT = (2, 60)
    assert client.get(certificate.get_absolute_url()).status_code == 200
    assert client.get(url("credential_json", certificate)).status_code == 200
    assert client.get(url("credential_jwt", certificate)).status_code == 429


@pytest.mark.parametrize("name", NAMES)
def test_head_works_and_post_is_refused(client, certificate, name):
    head = client.head(url(name, certificate))
    assert head.status_code == 200 and head.content == b""
    assert client.post(url(name, certificate)).status_code == 405
    assert client.put(url(name, certificate)).status_code == 405
    assert client.delete(url(name, certificate)).status_code == 405


@pytest.mark.parametrize("path", SITE_PATHS, ids=["jwks", "profile", "status", "status-json"])
def test_site_endpoints_answer_head_and_refuse_post(client, certificate, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_a_revoked_certificates_credential_is_still_served(client, certificate, staff_user):
    """Revocation shows in the status list, not as a missing credential."""
    issuing.revoke(certificate, staff_user, "Misconduct")
    for name in NAMES:
        assert client.get(url(name, certificate)).status_code == 200


def test_nothing_about_the_holder_in_the_readable_copy(client, certificate, user):
    text = client.get(url("credential_json", certificate)).content.decode()
    assert user.email not in text and certificate.holder_name not in text


# Queries ---------------------------------------------------------------------------------------


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("name", NAMES)
def test_a_certificate_endpoint_costs_three_queries(
    client, certificate, name, django_assert_max_num_queries
):
    """The certificate, and the site's organisation settings (its site, then its row)."""
    client.get(url(name, certificate))
    with django_assert_max_num_queries(3):
        assert client.get(url(name, certificate)).status_code == 200


def test_the_key_set_costs_no_query(client, certificate, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/certificates/issuer/jwks.json").status_code == 200


def test_credential_queries_do_not_grow_with_the_number_of_certificates(client, certificate):
    client.get(url("credential_jwt", certificate))
    one = count_queries(client, url("credential_jwt", certificate))
    for index in range(20):
        CertificateFactory(status_list_index=1000 + index, number=f"OTHR-2026-{index:06d}")
    assert count_queries(client, url("credential_jwt", certificate)) == one


def test_a_status_list_costs_the_same_for_one_or_twenty_revoked(
    client, home_page, staff_user, django_assert_max_num_queries
):
    holder = UserFactory()
    certificates = [
        CertificateFactory(holder=holder, status_list_index=10 * n + 3) for n in range(20)
    ]
    path = "/certificates/status/revocation/1"
    client.get(path)  # caches settle on the first request

    issuing.revoke(certificates[0], staff_user, "Misconduct")
    with django_assert_max_num_queries(1):
        assert client.get(path).status_code == 200
    one = count_queries(client, path)

    for certificate in certificates[1:]:
        issuing.revoke(certificate, staff_user, "Misconduct")
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 20
    assert count_queries(client, path) == one
    assert count_queries(client, path + ".json") <= one


def test_a_later_list_costs_one_more_query_to_find(client, home_page, staff_user):
    far = CertificateFactory(status_list_index=LIST_SIZE + 3)
    issuing.revoke(far, staff_user, "Misconduct")
    assert count_queries(client, "/certificates/status/revocation/2") <= 2
