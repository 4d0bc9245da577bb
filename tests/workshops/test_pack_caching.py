"""Packs are rendered once per version of what they print, and the public handout is rate-limited
per client: a few clients cannot keep every worker busy rendering PDFs."""

import io
from unittest import mock

import pytest
import weasyprint
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import Site

from peerpath.models import CrisisSignposting, OrganisationSettings

from .factories import certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache(home_page):
    """Each test starts without cached packs or rate-limit counters from other tests, on a site
    whose settings exist (the first read creates them, which starts a new layout generation)."""
    site = Site.objects.get(is_default_site=True)
    OrganisationSettings.for_site(site)
    CrisisSignposting.for_site(site)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def renders():
    """Counts WeasyPrint documents built (one per rendered pack)."""
    with mock.patch("peerpath.workshops.packs.HTML", wraps=weasyprint.HTML) as html:
        yield html


def handout_url(workshop):
    return reverse("workshops:participant_handout", args=[workshop.pk])


def pdf_text(response):
    assert response.status_code == 200, response.status_code
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def publish_new_summary(workshop, organisation, participant_document):
    workshop.summary = "Now with tea and biscuits."
    workshop.save_revision().publish()
    return "Now with tea and biscuits."


def rename_safeguarding_lead(workshop, organisation, participant_document):
    organisation.safeguarding_contact_name = "Sam Okafor"
    organisation.save()
    return "Sam Okafor"


def retitle_material(workshop, organisation, participant_document):
    participant_document.title = "Pocket guide to the group"
    participant_document.save()
    return "Pocket guide to the group"


def change_crisis_signposting(workshop, organisation, participant_document):
    crisis = CrisisSignposting.for_site(Site.objects.get(is_default_site=True))
    crisis.heading = "Talk to someone tonight"
    crisis.save()
    return "Talk to someone tonight"


@pytest.mark.parametrize(
    "change",
    [
        publish_new_summary,
        rename_safeguarding_lead,
        retitle_material,
        change_crisis_signposting,
    ],
)
def test_the_handout_is_rendered_once_until_something_it_prints_changes(
    client, renders, workshop, organisation, participant_document, change
):
    first = client.get(handout_url(workshop))
    second = client.get(handout_url(workshop))
    assert renders.call_count == 1
    assert second.content == first.content

    new_text = change(workshop, organisation, participant_document)
    assert new_text not in pdf_text(first)
    assert new_text in pdf_text(client.get(handout_url(workshop)))
    assert renders.call_count == 2


def test_the_facilitator_pack_is_rendered_once_for_every_facilitator(
    client, renders, user, other_user, programme, workshop
):
    url = reverse("workshops:facilitator_pack", args=[workshop.pk])
    for facilitator in (user, other_user):
        certificate(facilitator, programme)
        client.force_login(facilitator)
        assert "Watch for anyone who seems withdrawn" in pdf_text(client.get(url))
    assert renders.call_count == 1


def test_the_handout_is_rate_limited_per_client(client, renders, settings, workshop):
    settings.PEERPATH_HANDOUT_RATE_LIMIT = (2, 60)
    for _ in range(2):
        assert client.get(handout_url(workshop), REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(handout_url(workshop), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert b"Too many downloads" in refused.content
    assert client.get(handout_url(workshop), REMOTE_ADDR="198.51.100.2").status_code == 200
    assert renders.call_count == 1


def test_unknown_workshop_ids_count_towards_the_limit(client, settings, workshop):
    settings.PEERPATH_HANDOUT_RATE_LIMIT = (2, 60)
    for page_id in (999998, 999999):
        url = reverse("workshops:participant_handout", args=[page_id])
        assert client.get(url).status_code == 404
    assert client.get(handout_url(workshop)).status_code == 429
