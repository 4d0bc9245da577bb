"""The facilitator-only rule: every certificate status and every role, on every surface."""

import pytest
from django.urls import reverse

from peerpath.certificates.models import Certificate
from peerpath.workshops.access import can_see_facilitator_material
from peerpath.workshops.documents import can_download_document
from peerpath.workshops.models import FacilitatorMaterial
from tests.certificates.factories import certificate_in_status
from tests.factories import UserFactory

from .factories import certificate, make_document

pytestmark = pytest.mark.django_db

FACILITATOR_NOTE = "Watch for anyone who seems withdrawn"
PROTOCOL = "Stay with the person and call the crisis line."


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("valid", True),
        ("expired", False),
        ("revoked", False),
        ("superseded", False),
        ("relinquished", False),
    ],
)
def test_certificate_status_decides_access(user, programme, workshop, status, allowed):
    certificate(user, programme, status)
    assert can_see_facilitator_material(user, workshop) is allowed


#: Every status: what the verification page says, and whether the holder may see facilitator-only
#: material. The two must agree with the status in every case.
STATUS_TABLE = [
    ("valid", "This certificate is valid until", True),
    ("provisional", "Provisional until", True),
    ("lapsed", "Lapsed — renewal due by", False),
    ("expired", "Expired on", False),
    ("suspended", "Suspended since", False),
    ("revoked", "Revoked on", False),
    ("relinquished", "The holder gave up this certificate", False),
    ("superseded", "replaced by a newer one", False),
]


@pytest.mark.parametrize(("status", "banner", "allowed"), STATUS_TABLE)
def test_status_verification_page_and_access_rule_agree(
    client, user, programme, workshop, status, banner, allowed
):
    made = certificate_in_status(user, programme, status)
    certificate = Certificate.objects.with_status().get(pk=made.pk)
    assert certificate.status == status
    assert certificate.allows_practice is allowed
    assert can_see_facilitator_material(user, workshop) is allowed
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert f"certificate-status--{status}" in html
    assert banner in html


def test_no_certificate_no_access(user, workshop):
    assert not can_see_facilitator_material(user, workshop)


def test_certificate_for_another_programme_does_not_unlock(user, other_programme, workshop):
    certificate(user, other_programme)
    assert not can_see_facilitator_material(user, workshop)


def test_anonymous_visitor_has_no_access(anonymous, workshop):
    assert not can_see_facilitator_material(anonymous, workshop)


def test_inactive_account_with_valid_certificate_has_no_access(user, programme, workshop):
    certificate(user, programme)
    user.is_active = False
    user.save()
    assert not can_see_facilitator_material(user, workshop)


def test_organisation_editor_has_access(editor, workshop):
    assert can_see_facilitator_material(editor, workshop)


def test_other_organisations_editor_has_no_access(other_editor, workshop):
    assert not can_see_facilitator_material(other_editor, workshop)


def test_superuser_has_access(staff_user, workshop):
    assert can_see_facilitator_material(staff_user, workshop)


def test_workshop_without_programme_is_open_to_editors_only(user, editor, programme, workshop):
    certificate(user, programme)
    programme.delete()
    workshop.refresh_from_db()
    assert workshop.programme is None
    assert not can_see_facilitator_material(user, workshop)
    assert can_see_facilitator_material(editor, workshop)


def test_page_hides_facilitator_parts_and_says_what_unlocks_them(client, user, workshop):
    client.force_login(user)
    response = client.get(workshop.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert FACILITATOR_NOTE not in html
    assert PROTOCOL not in html
    assert "Warning signs checklist" not in html
    assert "Peer Support Group Facilitator certificate" in html
    assert workshop.programme.url in html
    assert "Each person shares one word about their week." in html


def test_page_shows_facilitator_parts_to_certified_facilitator(client, user, programme, workshop):
    certificate(user, programme)
    client.force_login(user)
    html = client.get(workshop.url).content.decode()
    assert FACILITATOR_NOTE in html
    assert PROTOCOL in html
    assert "Warning signs checklist" in html


def test_access_ends_at_once_when_certificate_is_revoked(client, user, programme, workshop):
    issued = certificate(user, programme)
    client.force_login(user)
    assert FACILITATOR_NOTE in client.get(workshop.url).content.decode()
    pack_url = reverse("workshops:facilitator_pack", args=[workshop.pk])
    assert client.get(pack_url).status_code == 200

    issued.revoked_at = issued.issued_at
    issued.revocation_reason = "Breach of the code of conduct"
    issued.save()

    assert FACILITATOR_NOTE not in client.get(workshop.url).content.decode()
    assert client.get(pack_url).status_code == 403


def test_access_ends_at_once_when_certificate_expires(
    client, user, programme, workshop, facilitator_document
):
    issued = certificate(user, programme)
    client.force_login(user)
    assert client.get(facilitator_document.url).status_code == 200

    issued.expires_on = issued.issued_at.date()
    issued.save()

    assert client.get(facilitator_document.url).status_code == 403


# Documents: Wagtail's own URLs must not bypass the rule.


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("valid", 200),
        ("expired", 403),
        ("revoked", 403),
        ("superseded", 403),
        ("relinquished", 403),
    ],
)
def test_facilitator_document_url_follows_certificate_status(
    client, user, programme, workshop, facilitator_document, status, expected
):
    certificate(user, programme, status)
    client.force_login(user)
    response = client.get(facilitator_document.url)
    assert response.status_code == expected
    if expected == 403:
        assert b"Facilitator only: warning signs" not in response.content
        assert b"Facilitators only" in response.content


def test_facilitator_document_redirects_anonymous_to_login(client, workshop, facilitator_document):
    response = client.get(facilitator_document.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_forged_document_url_with_another_filename_is_still_refused(
    client, user, workshop, facilitator_document
):
    client.force_login(user)
    response = client.get(f"/documents/{facilitator_document.pk}/anything-else.txt")
    assert response.status_code in (403, 404)
    assert b"Facilitator only" not in response.content


def test_unknown_document_id_is_404(client, user, workshop):
    client.force_login(user)
    assert client.get("/documents/999999/handout.txt").status_code == 404


def test_participant_document_is_open_to_anyone(client, workshop, participant_document):
    response = client.get(participant_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Be kind."


@pytest.mark.parametrize("role", ["editor", "staff_user"])
def test_editors_and_admins_download_facilitator_documents(
    request, client, workshop, facilitator_document, role
):
    client.force_login(request.getfixturevalue(role))
    assert client.get(facilitator_document.url).status_code == 200


def test_other_organisations_editor_cannot_download(
    client, other_editor, workshop, facilitator_document
):
    client.force_login(other_editor)
    assert client.get(facilitator_document.url).status_code == 403


def test_unpublished_facilitator_collection_document_is_protected(client, user, organisation):
    draft_attachment = make_document(
        "Draft crisis steps", collection=organisation.facilitator_collection
    )
    assert not can_download_document(user, draft_attachment)
    client.force_login(user)
    assert client.get(draft_attachment.url).status_code == 403


def test_document_linked_as_facilitator_material_is_protected_wherever_it_is_filed(
    user, programme, organisation, workshop
):
    stray = make_document("Stray notes", collection=organisation.collection)
    FacilitatorMaterial.objects.create(page=workshop, document=stray)
    assert not can_download_document(user, stray)
    certificate(user, programme)
    assert can_download_document(user, stray)


def test_unrelated_user_with_certificate_for_other_programme_cannot_download(
    client, other_programme, workshop, facilitator_document
):
    holder = UserFactory()
    certificate(holder, other_programme)
    client.force_login(holder)
    assert client.get(facilitator_document.url).status_code == 403
