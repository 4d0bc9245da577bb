"""Factories for workshop tests: programmes, organisations, workshops, documents and certificates."""

import datetime
import itertools

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from peerpath.workshops.models import FacilitationLogEntry, WorkshopPage
from tests.certificates.factories import CertificateFactory
from tests.organisations.factories import OrganisationFactory  # noqa: F401 - used by other apps' tests

_numbers = itertools.count(1)


def make_document(title="Handout", *, collection=None, content=b"Peer support handout"):
    """A Wagtail document holding a small text file."""
    Document = get_document_model()
    document = Document(title=title)
    if collection is not None:
        document.collection = collection
    document.file.save(f"document-{next(_numbers)}.txt", ContentFile(content), save=False)
    document.save()
    return document


SESSION_PLAN = [
    {
        "type": "step",
        "value": {
            "minutes": 15,
            "title": "Welcome and check-in",
            "participant_activity": "Each person shares one word about their week.",
            "facilitator_notes": "Watch for anyone who seems withdrawn; offer a quiet word after.",
        },
    },
    {
        "type": "step",
        "value": {
            "minutes": 60,
            "title": "Open sharing",
            "participant_activity": "Members take turns to talk and to listen.",
            "facilitator_notes": "If someone mentions thoughts of suicide, follow the protocol.",
        },
    },
]


def make_workshop(index_page, *, programme=None, live=True, **fields):
    """A WorkshopPage below an organisation's index page, published unless `live=False`."""
    number = next(_numbers)
    fields.setdefault("title", f"Weekly peer support group {number}")
    fields.setdefault("slug", f"workshop-{number}")
    fields.setdefault("summary", "A friendly weekly group for people who share similar struggles.")
    fields.setdefault("format", WorkshopPage.Format.SUPPORT_GROUP)
    fields.setdefault("audience", WorkshopPage.Audience.LIVED_EXPERIENCE)
    fields.setdefault("duration_minutes", 90)
    fields.setdefault("session_plan", SESSION_PLAN)
    fields.setdefault(
        "group_agreements", [{"type": "agreement", "value": "What is said here stays here."}]
    )
    fields.setdefault("safety_protocol", "<p>Stay with the person and call the crisis line.</p>")
    participant_documents = fields.pop("participant_documents", [])
    facilitator_documents = fields.pop("facilitator_documents", [])
    workshop = WorkshopPage(programme=programme, live=live, **fields)
    index_page.add_child(instance=workshop)
    for document in participant_documents:
        workshop.participant_materials.create(document=document)
    for document in facilitator_documents:
        workshop.facilitator_materials.create(document=document)
    if live:
        workshop.save_revision().publish()
    return WorkshopPage.objects.get(pk=workshop.pk)


def certificate(holder, programme, status="valid"):
    """A certificate row for `holder` and `programme` in the given status."""
    now = timezone.now()
    if status == "valid":
        return CertificateFactory(holder=holder, programme=programme)
    if status == "expired":
        return CertificateFactory(
            holder=holder, programme=programme, expires_on=timezone.localdate()
        )
    if status == "revoked":
        return CertificateFactory(
            holder=holder, programme=programme, revoked_at=now, revocation_reason="Misconduct"
        )
    if status == "relinquished":
        return CertificateFactory(holder=holder, programme=programme, relinquished_at=now)
    if status == "superseded":
        old = CertificateFactory(holder=holder, programme=programme)
        # The successor names no programme, so only the superseded certificate could unlock it.
        CertificateFactory(holder=holder, programme=None, cycle=2, supersedes=old)
        return old
    raise ValueError(status)


class LogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilitationLogEntry

    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    minutes = 90
    participants = 8
    co_facilitator = "Jo"
    notes = "Private: the group was quiet after the news about the library closing."
