"""Factories for certificate tests, with minimal training pages of their own."""

import datetime

import factory
from django.utils import timezone

from peerpath.certificates.codes import generate_code
from peerpath.certificates.models import Certificate
from peerpath.training.models import ProgrammePage, TrainingIndexPage
from tests.factories import UserFactory


def make_programme(home_page, *, title="Peer Support Group Facilitator", code="PSGF", **fields):
    """A published ProgrammePage (under a TrainingIndexPage below `home_page`)."""
    index = TrainingIndexPage.objects.child_of(home_page).first()
    if index is None:
        index = TrainingIndexPage(title="Training", slug="training")
        home_page.add_child(instance=index)
    fields.setdefault("validity_months", 24)
    programme = ProgrammePage(
        title=title,
        slug=f"{code.lower()}-{ProgrammePage.objects.count() + 1}",
        credential_name=fields.pop("credential_name", title),
        credential_code=code,
        summary="Learn to run a safe, welcoming peer support group.",
        code_of_conduct="<p>I keep what is shared in the group confidential.</p>",
        **fields,
    )
    index.add_child(instance=programme)
    return programme


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate row as issuing would store it, without going through issuing."""

    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    holder = factory.SubFactory(UserFactory)
    programme = None
    holder_name = factory.LazyAttribute(
        lambda o: f"{o.holder.first_name} {o.holder.last_name}" if o.holder else "Former Holder"
    )
    credential_name = "Peer Support Group Facilitator"
    credential_code = "PSGF"
    programme_title = "Peer Support Group Facilitator"
    hours = 6
    issuer_name = "PeerPath Test Network"
    number = factory.Sequence(lambda n: f"PSGF-2026-{n + 1:06d}")
    verification_code = factory.LazyFunction(generate_code)
    issued_at = factory.LazyFunction(timezone.now)
    expires_on = factory.LazyFunction(lambda: timezone.localdate().replace(year=2099))

    @factory.post_generation
    def mark_superseded(obj, create, extracted, **kwargs):
        """A certificate made with `supersedes` marks the one it replaces, as issuing does."""
        if create and obj.supersedes_id:
            Certificate.objects.filter(pk=obj.supersedes_id).update(superseded_at=obj.issued_at)
            obj.supersedes.superseded_at = obj.issued_at
            obj.supersedes.refresh_status()


def certificate_in_status(holder, programme, status, today=None):
    """A certificate for `holder` and `programme` that has `status` on `today` (default: today).

    A superseded one's successor names no programme, so only the superseded certificate could
    count for `programme`.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    days = datetime.timedelta
    fields = {"holder": holder, "programme": programme, "expires_on": today + days(365)}
    fields.update(
        {
            "valid": {},
            "provisional": {"is_provisional": True, "expires_on": today + days(90)},
            "lapsed": {"expires_on": today - days(5), "grace_ends_on": today + days(25)},
            "expired": {"expires_on": today - days(40), "grace_ends_on": today - days(10)},
            "suspended": {"suspended_at": now, "suspension_reason": "Complaint under review"},
            "revoked": {"revoked_at": now, "revocation_reason": "Misconduct"},
            "relinquished": {"relinquished_at": now},
            "superseded": {},
        }[status]
    )
    certificate = CertificateFactory(**fields)
    if status == "superseded":
        CertificateFactory(holder=holder, programme=None, cycle=2, supersedes=certificate)
    return certificate
