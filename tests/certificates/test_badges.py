"""Open Badges 2.0 hosted verification, checked against the specification's required fields."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.certificates import issuing

pytestmark = pytest.mark.django_db

IRI = re.compile(r"^https?://\S+$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def get_json(client, name, certificate, status=200):
    response = client.get(reverse(f"certificates:{name}", args=[certificate.display_code]))
    assert response.status_code == status, response.content
    return response.json()


def assert_valid_assertion(data, client):
    """The required properties of an OB 2.0 Assertion, BadgeClass and Issuer Profile."""
    assert data["@context"] == "https://w3id.org/openbadges/v2"
    assert data["type"] == "Assertion"
    assert IRI.match(data["id"])
    recipient = data["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    assert re.fullmatch(r"sha256\$[0-9a-f]{64}", recipient["identity"])
    assert data["verification"]["type"] in {"HostedBadge", "hosted"}
    assert ISO_DATETIME.match(data["issuedOn"])
    if "expires" in data:
        assert ISO_DATETIME.match(data["expires"])
    # Hosted verification: the id must be where the assertion is published.
    assert client.get(data["id"].removeprefix("http://testserver")).json() == data

    badge = client.get(data["badge"].removeprefix("http://testserver")).json()
    assert badge["type"] == "BadgeClass" and badge["id"] == data["badge"]
    for field in ("name", "description", "image", "criteria", "issuer"):
        assert badge[field], field
    assert badge["image"].startswith("data:image/svg+xml;base64,") or IRI.match(badge["image"])
    assert badge["criteria"].get("narrative") or IRI.match(badge["criteria"].get("id", ""))

    issuer = client.get(badge["issuer"].removeprefix("http://testserver")).json()
    assert issuer["type"] in {"Issuer", "Profile"} and issuer["id"] == badge["issuer"]
    assert issuer["name"] and IRI.match(issuer["url"]) and "@" in issuer["email"]
    return badge, issuer


def test_assertion_badge_class_and_issuer_are_valid_open_badges(client, certificate):
    data = get_json(client, "assertion", certificate)
    badge, issuer = assert_valid_assertion(data, client)
    assert badge["name"] == certificate.credential_name
    assert issuer["name"] == certificate.issuer_name


def test_recipient_is_the_salted_hash_of_the_holders_email(client, certificate, user):
    recipient = get_json(client, "assertion", certificate)["recipient"]
    expected = hashlib.sha256((user.email.lower() + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert user.email not in str(get_json(client, "assertion", certificate))


def test_expiry_is_published(client, certificate):
    data = get_json(client, "assertion", certificate)
    assert data["expires"].startswith(certificate.expires_on.isoformat())


def test_revoked_assertion_answers_410(client, certificate, staff_user):
    issuing.revoke(certificate, staff_user, "Fraudulent completion")
    data = get_json(client, "assertion", certificate, status=410)
    assert data["revoked"] is True
    assert "Fraudulent" not in str(data)


def test_relinquished_assertion_answers_410(client, certificate):
    issuing.relinquish(certificate)
    assert get_json(client, "assertion", certificate, status=410)["revoked"] is True


def test_superseded_assertion_is_still_published(client, certificate, staff_user):
    issuing.renew(certificate, by=staff_user)
    get_json(client, "assertion", certificate)


def test_unknown_code_is_a_json_404(client, home_page):
    response = client.get("/certificates/AAAA-AAAA-AAAA-AAAA/assertion.json")
    assert response.status_code == 404 and "error" in response.json()
    assert client.get("/certificates/not-a-code/badge_class.json").status_code == 404


def test_badge_endpoints_are_rate_limited(client, certificate, settings):
    settings.PEERPATH_VERIFY_RATE_LIMIT = (1, 60)
    get_json(client, "assertion", certificate)
    assert (
        client.get(reverse("certificates:issuer", args=[certificate.display_code])).status_code
        == 429
    )


def test_badge_json_reflects_the_snapshot_not_later_edits(client, certificate, programme):
    programme.credential_name = "Renamed"
    programme.save_revision().publish()
    badge = get_json(client, "badge_class", certificate)
    assert badge["name"] == "Peer Support Group Facilitator"


def test_issued_on_is_iso_8601(client, user, programme, issue):
    certificate = issue(user, programme, timezone.now() - datetime.timedelta(days=3))
    assert ISO_DATETIME.match(get_json(client, "assertion", certificate)["issuedOn"])
