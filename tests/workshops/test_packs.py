"""Printable packs: the right text for the right person, checked in the PDF itself."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from .factories import certificate

pytestmark = pytest.mark.django_db


def _pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_participant_handout_is_for_anyone_and_has_no_facilitator_text(client, workshop):
    text = _pdf_text(client.get(reverse("workshops:participant_handout", args=[workshop.pk])))
    assert "PARTICIPANT HANDOUT" in text
    assert "What is said here stays here." in text
    assert "Group agreements card" in text
    assert "Samaritans" in text or "Need help now?" in text
    assert "Watch for anyone who seems withdrawn" not in text
    assert "Warning signs checklist" not in text
    assert "Stay with the person" not in text


def test_facilitator_pack_for_certified_facilitator(client, user, programme, workshop):
    certificate(user, programme)
    client.force_login(user)
    response = client.get(reverse("workshops:facilitator_pack", args=[workshop.pk]))
    text = _pdf_text(response)
    assert "FACILITATOR PACK" in text
    assert "Watch for anyone who seems withdrawn" in text
    assert "Stay with the person and call the crisis line." in text
    assert "What is said here stays here." in text
    assert "Warning signs checklist" in text
    assert "Group agreements card" in text
    assert "75 of 90 minutes planned" in text
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("status", ["expired", "revoked", "superseded", "relinquished"])
def test_facilitator_pack_refused_without_valid_certificate(
    client, user, programme, workshop, status
):
    certificate(user, programme, status)
    client.force_login(user)
    response = client.get(reverse("workshops:facilitator_pack", args=[workshop.pk]))
    assert response.status_code == 403
    assert b"Peer Support Group Facilitator" in response.content
    assert response["Content-Type"].startswith("text/html")


def test_facilitator_pack_asks_anonymous_visitors_to_log_in(client, workshop):
    response = client.get(reverse("workshops:facilitator_pack", args=[workshop.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_editor_gets_facilitator_pack(client, editor, workshop):
    client.force_login(editor)
    text = _pdf_text(client.get(reverse("workshops:facilitator_pack", args=[workshop.pk])))
    assert "Watch for anyone who seems withdrawn" in text


@pytest.mark.parametrize("name", ["workshops:participant_handout", "workshops:facilitator_pack"])
def test_packs_of_unknown_or_unpublished_workshops_are_404(client, staff_user, workshop, name):
    client.force_login(staff_user)
    assert client.get(reverse(name, args=[999999])).status_code == 404
    workshop.unpublish()
    assert client.get(reverse(name, args=[workshop.pk])).status_code == 404


def test_packs_refuse_post(client, workshop):
    response = client.post(reverse("workshops:participant_handout", args=[workshop.pk]))
    assert response.status_code == 405
