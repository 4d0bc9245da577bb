import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from peerpath.certificates.models import Certificate, CertificateStatus

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_list_shows_status_and_filters_by_it(admin_client, certificate, staff_user):
    CertificateFactory(
        revoked_at="2026-01-01T00:00Z", revocation_reason="x", number="PSGF-2026-900001"
    )
    url = reverse("certificates_admin:index")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert certificate.number.encode() in response.content
    assert b"Revoked" in response.content
    response = admin_client.get(url, {"status": "revoked"})
    assert b"PSGF-2026-900001" in response.content
    assert certificate.number.encode() not in response.content


def test_list_exports_csv(admin_client, certificate):
    response = admin_client.get(reverse("certificates_admin:index"), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert certificate.number.encode() in content


def test_inspect_offers_lifecycle_actions(admin_client, certificate):
    response = admin_client.get(reverse("certificates_admin:inspect", args=[certificate.pk]))
    assert response.status_code == 200
    for action in ("revoke", "renew", "reissue"):
        assert (
            reverse(f"certificates_admin:{action}", args=[certificate.pk]).encode()
            in response.content
        )


def test_revoke_needs_a_reason_and_records_it(admin_client, certificate, staff_user):
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None
    response = admin_client.post(url, {"reason": "Did not complete the placement"})
    assert response.status_code == 302
    certificate = Certificate.objects.with_status().get(pk=certificate.pk)
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_by == staff_user
    assert certificate.revocation_reason == "Did not complete the placement"


def test_revoking_twice_explains_instead_of_failing(admin_client, certificate):
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    admin_client.post(url, {"reason": "First"})
    response = admin_client.post(url, {"reason": "Second"})
    assert response.status_code == 200
    assert b"already been revoked" in response.content


@pytest.mark.parametrize("action", ["renew", "reissue"])
def test_renew_and_reissue_supersede(admin_client, certificate, action):
    response = admin_client.post(reverse(f"certificates_admin:{action}", args=[certificate.pk]))
    assert response.status_code == 302
    new = Certificate.objects.get(supersedes=certificate)
    assert response["Location"] == reverse("certificates_admin:inspect", args=[new.pk])
    certificate.refresh_status()
    assert certificate.status == CertificateStatus.SUPERSEDED


def test_staff_without_permission_cannot_act(client, certificate):
    from tests.factories import UserFactory

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_certificate"),
    )
    client.force_login(viewer)
    assert client.get(reverse("certificates_admin:index")).status_code == 200
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    # Wagtail answers PermissionDenied in the admin with a redirect and an error message.
    assert client.post(url, {"reason": "x"}).status_code in (302, 403)
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None


def test_learners_cannot_reach_the_admin(client, user, certificate):
    client.force_login(user)
    response = client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": "x"}
    )
    assert response.status_code in (302, 403)
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None


def test_unknown_certificate_is_404(admin_client, home_page):
    assert admin_client.get(reverse("certificates_admin:revoke", args=[999999])).status_code == 404


def test_inspect_offers_no_renew_or_reissue_for_a_revoked_certificate(
    admin_client, certificate, staff_user
):
    from peerpath.certificates import issuing

    issuing.revoke(certificate, staff_user, "Issued in error")
    response = admin_client.get(reverse("certificates_admin:inspect", args=[certificate.pk]))
    for action in ("renew", "reissue", "revoke"):
        url = reverse(f"certificates_admin:{action}", args=[certificate.pk])
        assert url.encode() not in response.content


def test_reissue_after_a_name_change_uses_the_current_name_and_keeps_the_expiry(
    admin_client, certificate, user
):
    from peerpath.accounts.models import Profile

    Profile.objects.filter(user=user).update(certificate_name="Corrected Name")
    response = admin_client.post(reverse("certificates_admin:reissue", args=[certificate.pk]))
    assert response.status_code == 302
    new = Certificate.objects.with_status().get(supersedes=certificate)
    assert new.holder_name == "Corrected Name"
    assert new.expires_on == certificate.expires_on
    assert new.status == CertificateStatus.VALID
