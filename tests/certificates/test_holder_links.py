"""What a holder sees on My training to use their certificate elsewhere (credential downloads, the
baked badge, LinkedIn, Open Badges 2.0), and what a shared verification link offers software and
link previews."""

import datetime
import io
import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jws
from PIL import Image

from peerpath.accounts.models import Profile
from peerpath.certificates import issuing
from peerpath.certificates.links import holder_links, linkedin_url
from peerpath.certificates.models import Certificate

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


class Tags(HTMLParser):
    """The attributes of every <a>, <img>, <meta> and <link> in a page, in order."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "img", "meta", "link"):
            self.tags.append((tag, dict(attrs)))

    def all(self, tag, **attrs):
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(key) == value for key, value in attrs.items())
        ]

    def one(self, tag, **attrs):
        (found,) = self.all(tag, **attrs)
        return found

    def meta(self):
        """{property or name: content} of the page's meta tags."""
        return {
            found.get("property") or found.get("name"): found.get("content")
            for found in self.all("meta")
            if found.get("property") or found.get("name")
        }


def certificate_with(**fields):
    fields.setdefault("issued_at", timezone.make_aware(datetime.datetime(2026, 3, 2, 10)))
    return Certificate.objects.with_status().get(pk=CertificateFactory(**fields).pk)


def linkedin_params(certificate):
    url = urlsplit(linkedin_url(certificate))
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    params = parse_qs(url.query, strict_parsing=True)
    assert all(len(values) == 1 for values in params.values()), params
    return {key: values[0] for key, values in params.items()}


def my_training(client, user):
    client.force_login(user)
    response = client.get(reverse("training:my_training"))
    assert response.status_code == 200
    return Tags(response.content.decode())


def download_link(tags, text_end):
    """The href of the one `download` link on My training whose URL ends with `text_end`."""
    (href,) = [
        found["href"]
        for found in tags.all("a")
        if "download" in found and found.get("href", "").endswith(text_end)
    ]
    return href


# LinkedIn's add-certification link


def test_linkedin_link_carries_the_certificates_details(user):
    certificate = certificate_with(
        holder=user,
        credential_name="Peer Support & Recovery: Level 2",
        issuer_name="O'Neill + Partners Network",
        number="PSGF-2026-000042",
        expires_on=datetime.date(2028, 3, 2),
    )
    assert linkedin_params(certificate) == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Peer Support & Recovery: Level 2",
        "organizationName": "O'Neill + Partners Network",
        "issueYear": "2026",
        "issueMonth": "3",
        "expirationYear": "2028",
        "expirationMonth": "3",
        "certUrl": f"{BASE}/certificates/verify/{certificate.display_code}/",
        "certId": "PSGF-2026-000042",
    }


@pytest.mark.parametrize(
    ("expires_on", "year", "month"),
    [
        (datetime.date(2028, 3, 1), "2028", "2"),
        (datetime.date(2029, 1, 1), "2028", "12"),
        (datetime.date(2028, 3, 31), "2028", "3"),
    ],
    ids=["first-of-march", "new-year", "end-of-month"],
)
def test_linkedin_expiry_is_the_month_of_the_last_valid_day(user, expires_on, year, month):
    params = linkedin_params(certificate_with(holder=user, expires_on=expires_on))
    assert (params["expirationYear"], params["expirationMonth"]) == (year, month)


def test_certificate_that_never_expires_sends_no_expiry_to_linkedin(user):
    params = linkedin_params(certificate_with(holder=user, expires_on=None))
    assert "expirationYear" not in params and "expirationMonth" not in params
    assert params["issueYear"] == "2026" and params["issueMonth"] == "3"


def test_linkedin_link_spells_spaces_as_percent_20(user):
    url = linkedin_url(certificate_with(holder=user, credential_name="Peer Support"))
    assert "name=Peer%20Support&" in url


# My training


def test_my_training_offers_the_credential_the_badge_linkedin_and_ob2(
    client, user, programme, issue
):
    certificate = issue(user, programme)
    tags = my_training(client, user)
    code = certificate.display_code
    base = f"/certificates/{code}"
    assert download_link(tags, "/credential.jwt?download") == f"{base}/credential.jwt?download"
    assert download_link(tags, "/credential.json?download") == f"{base}/credential.json?download"
    assert download_link(tags, "/badge.png?download") == f"{base}/badge.png?download"
    assert tags.one("a", href=f"{base}/assertion.json")
    linkedin = tags.one("a", href=linkedin_url(certificate))
    assert linkedin["target"] == "_blank" and "noopener" in linkedin["rel"].split()


def test_my_training_previews_the_badge_with_alt_text(client, user, programme, issue):
    certificate = issue(user, programme)
    preview = my_training(client, user).one(
        "img", src=f"/certificates/{certificate.display_code}/badge.png"
    )
    assert certificate.credential_name in preview["alt"]
    assert preview["loading"] == "lazy" and preview["width"] == preview["height"] == "96"


@pytest.mark.parametrize(
    ("ending", "content_type", "filename_end"),
    [
        ("/credential.jwt?download", "application/vc+jwt", ".jwt"),
        ("/credential.json?download", "application/vc+ld+json", ".json"),
        ("/badge.png?download", "image/png", ".png"),
    ],
    ids=["jwt", "json", "png"],
)
def test_my_training_downloads_arrive_as_attachments(
    client, user, programme, issue, ending, content_type, filename_end
):
    certificate = issue(user, programme)
    response = client.get(download_link(my_training(client, user), ending))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="{certificate.number}{filename_end}"'
    )


def test_readable_download_is_the_certificates_credential(client, user, programme, issue):
    certificate = issue(user, programme)
    response = client.get(download_link(my_training(client, user), "/credential.json?download"))
    data = json.loads(response.content)
    assert "OpenBadgeCredential" in data["type"]
    assert data["credentialSubject"]["achievement"]["name"] == certificate.credential_name


def test_baked_badge_from_my_training_carries_both_open_badges_versions(
    client, user, programme, issue
):
    certificate = issue(user, programme)
    response = client.get(download_link(my_training(client, user), "/badge.png?download"))
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "PNG"
        text = dict(image.text)
    code = certificate.display_code
    assert text["openbadges"] == f"{BASE}/certificates/{code}/assertion.json"

    # The OB 3.0 chunk is a compact JWS that verifies, with another library than the one that
    # signed it, against the site's published keys, and it is this certificate's credential.
    token = text["openbadgecredential"]
    assert token.count(".") == 2
    message = jws.JWS()
    message.deserialize(token)
    header = message.jose_header
    assert header["typ"] == "vc+jwt"
    keys = jwk.JWKSet.from_json(client.get(reverse("certificates:jwks")).content)
    message.allowed_algs = [header["alg"]]
    message.verify(keys.get_key(header["kid"].partition("#")[2]))
    payload = json.loads(message.payload)
    assert payload["id"] == f"{BASE}/certificates/{code}/credential.json"


def test_linkedin_link_opens_a_verification_page_for_the_certificate(
    client, user, programme, issue
):
    certificate = issue(user, programme)
    cert_url = linkedin_params(certificate)["certUrl"]
    response = client.get(cert_url.removeprefix(BASE))
    assert response.status_code == 200
    assert certificate.number in response.content.decode()


@pytest.mark.parametrize(
    "action",
    ["revoke", "suspend", "relinquish"],
    ids=["revoked", "suspended", "relinquished"],
)
def test_certificate_no_longer_valid_offers_no_linkedin(
    client, user, staff_user, programme, issue, action
):
    certificate = issue(user, programme)
    if action == "relinquish":
        issuing.relinquish(certificate, user)
    else:
        getattr(issuing, action)(certificate, staff_user, "Reason")
    tags = my_training(client, user)
    assert not [a for a in tags.all("a") if "linkedin.com" in a.get("href", "")]
    assert (
        "cannot be added to your LinkedIn profile"
        in client.get(reverse("training:my_training")).content.decode()
    )
    # The files stay available: each one says the certificate's status to whoever checks it.
    assert download_link(tags, "/credential.jwt?download")


def test_revoked_certificate_has_no_linkedin_link_in_its_links(user, staff_user, programme, issue):
    certificate = issue(user, programme)
    issuing.revoke(certificate, staff_user, "Reason")
    assert (
        holder_links(Certificate.objects.with_status().get(pk=certificate.pk))["linkedin"] is None
    )


def test_expired_certificate_may_still_go_on_linkedin_with_its_expiry(client, user):
    certificate = certificate_with(
        holder=user,
        issued_at=timezone.make_aware(datetime.datetime(2020, 5, 4, 10)),
        expires_on=datetime.date(2022, 5, 4),
    )
    assert certificate.status == "expired"
    link = holder_links(certificate)["linkedin"]
    assert link is not None
    assert my_training(client, user).one("a", href=link)
    assert linkedin_params(certificate)["expirationYear"] == "2022"


# The verification page


@pytest.fixture
def shared(user):
    return CertificateFactory(
        holder=user,
        holder_name="Jamie Okafor",
        number="PSGF-2026-000042",
        issued_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 10)),
        expires_on=datetime.date(2099, 3, 2),
    )


def verification_page(client, certificate):
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_verification_page_previews_well_when_shared(client, shared):
    html = verification_page(client, shared)
    meta = Tags(html).meta()
    code = shared.display_code
    assert meta["og:type"] == "website"
    assert meta["og:title"] == "Peer Support Group Facilitator: Valid"
    assert "PSGF-2026-000042" in meta["og:description"]
    assert "PeerPath Test Network" in meta["og:description"]
    assert meta["og:url"] == f"{BASE}/certificates/verify/{code}/"
    assert meta["og:image"] == f"{BASE}/certificates/{code}/badge.png"
    assert meta["og:image:alt"] == "Badge for Peer Support Group Facilitator"
    assert meta["twitter:card"] == "summary"
    assert meta["robots"] == "noindex, nofollow"


def test_verification_preview_image_is_the_badge_png(client, shared):
    image_url = Tags(verification_page(client, shared)).meta()["og:image"]
    response = client.get(image_url.removeprefix(BASE))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_verification_preview_title_follows_the_status(client, shared, staff_user):
    issuing.revoke(shared, staff_user, "Confidential reason")
    meta = Tags(verification_page(client, shared)).meta()
    assert meta["og:title"] == "Peer Support Group Facilitator: Revoked"
    assert "Confidential" not in " ".join(value or "" for value in meta.values())


def test_verification_page_links_its_signed_credential_for_software(client, shared):
    tags = Tags(verification_page(client, shared))
    alternate = tags.one("link", rel="alternate")
    code = shared.display_code
    assert alternate["type"] == "application/vc+jwt"
    assert alternate["href"] == f"{BASE}/certificates/{code}/credential.jwt"
    response = client.get(alternate["href"].removeprefix(BASE))
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"


@pytest.mark.parametrize(
    ("href", "content_type"),
    [
        ("credential.jwt", "application/vc+jwt"),
        ("credential.json", "application/vc+ld+json"),
        ("assertion.json", "application/ld+json"),
    ],
    ids=["jwt", "json", "ob2"],
)
def test_verification_page_for_software_links_work(client, shared, href, content_type):
    path = f"/certificates/{shared.display_code}/{href}"
    Tags(verification_page(client, shared)).one("a", href=path)
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == content_type


def test_verification_page_links_the_issuers_keys(client, shared):
    Tags(verification_page(client, shared)).one("a", href=reverse("certificates:jwks"))


def test_preview_says_nothing_about_the_holder(client, shared, user):
    Profile.objects.update_or_create(user=user, defaults={"show_initials_only": True})
    html = verification_page(client, shared)
    tags = Tags(html)
    previews = " ".join(
        value or "" for key, value in tags.meta().items() if key.startswith(("og:", "twitter:"))
    )
    for private in ["Jamie", "Okafor", user.email, user.username]:
        assert private not in previews
    assert "Jamie Okafor" not in html  # the page itself keeps to the holder's initials
