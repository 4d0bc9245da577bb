import datetime
import re

import pytest
from django.utils import timezone

from peerpath.accounts.models import Profile
from peerpath.certificates import issuing, rules
from peerpath.certificates.codes import ALPHABET
from peerpath.certificates.models import Certificate, CertificateStatus, CertificateTemplate
from peerpath.training.signals import programme_completed

from .factories import make_programme

pytestmark = pytest.mark.django_db


def test_completion_signal_issues_one_certificate(
    user, programme, django_capture_on_commit_callbacks
):
    completed_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        programme_completed.send(
            sender=type(programme),
            enrolment=None,
            user=user,
            programme=programme,
            completed_at=completed_at,
        )
        programme_completed.send(
            sender=type(programme),
            enrolment=None,
            user=user,
            programme=programme,
            completed_at=completed_at,
        )
    certificate = Certificate.objects.get(holder=user)
    assert certificate.status == CertificateStatus.VALID
    assert certificate.pdf, "the PDF task ran after commit"


def test_snapshot_records_what_was_true_at_issue(user, programme, issue):
    Profile.objects.filter(user=user).update(certificate_name="Jamie Okafor")
    certificate = issue(user, programme)
    assert certificate.holder_name == "Jamie Okafor"
    assert certificate.credential_name == programme.credential_name
    assert certificate.programme_title == programme.title
    assert certificate.issuer_name == "PeerPath"
    assert certificate.cycle == 1
    assert certificate.design["heading"] == CertificateTemplate.default().heading
    assert programme.title in certificate.design["wording"]
    assert certificate.recipient_hash.startswith("sha256$")


def test_number_is_sequential_per_credential_and_year(home_page, programme, issue):
    from tests.factories import UserFactory

    other = make_programme(home_page, title="Peer Mentor", code="PM")
    year = timezone.localdate().year
    first = issue(UserFactory(), programme)
    second = issue(UserFactory(), programme)
    mentor = issue(UserFactory(), other)
    assert first.number == f"PSGF-{year}-000001"
    assert second.number == f"PSGF-{year}-000002"
    assert mentor.number == f"PM-{year}-000001"


def test_verification_code_has_80_bits_in_an_unambiguous_alphabet(user, programme, issue):
    certificate = issue(user, programme)
    assert len(ALPHABET) == 32 and len(certificate.verification_code) == 16  # 32**16 == 2**80
    assert not set("01IO") & set(ALPHABET)
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", certificate.display_code)


def test_expiry_follows_programme_validity(user, home_page, issue):
    programme = make_programme(home_page, validity_months=24)
    completed_at = timezone.make_aware(datetime.datetime(2026, 1, 31, 12))
    certificate = issue(user, programme, completed_at)
    assert certificate.expires_on == datetime.date(2028, 1, 31)


def test_no_validity_means_no_expiry(user, home_page, issue):
    programme = make_programme(home_page, validity_months=None)
    certificate = issue(user, programme)
    assert certificate.expires_on is None
    assert certificate.status == CertificateStatus.VALID


def test_add_months_clamps_to_month_end():
    assert rules.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert rules.add_months(datetime.date(2026, 11, 15), 14) == datetime.date(2028, 1, 15)


def test_recompletion_while_valid_changes_nothing(user, programme, issue):
    first = issue(user, programme)
    again = issue(user, programme, timezone.now())
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_recompletion_after_expiry_renews_and_supersedes(user, programme, issue):
    old = issue(user, programme, timezone.now() - datetime.timedelta(days=800))
    assert old.status == CertificateStatus.EXPIRED
    new = issue(user, programme, timezone.now())
    old.refresh_status()
    assert new.supersedes == old and new.cycle == 2
    assert old.status == CertificateStatus.SUPERSEDED
    assert new.status == CertificateStatus.VALID
    assert new.number != old.number and new.verification_code != old.verification_code


def test_renewing_early_keeps_the_remaining_time(user, programme, issue):
    old = issue(user, programme, timezone.now() - datetime.timedelta(days=700))
    assert rules.is_renewable(old)
    new = issue(user, programme, timezone.now())
    assert new.expires_on == rules.add_months(old.expires_on, programme.validity_months)


def test_revoked_certificate_is_not_reissued_by_a_completion(user, staff_user, programme, issue):
    old = issue(user, programme, timezone.now() - datetime.timedelta(days=800))
    issuing.revoke(old, staff_user, "Breach of confidentiality")
    assert issue(user, programme, timezone.now()) is None
    assert Certificate.objects.count() == 1


def test_revoke_keeps_the_row_and_records_who_when_why(user, staff_user, programme, issue):
    certificate = issue(user, programme)
    issuing.revoke(certificate, staff_user, "  Issued to the wrong person  ")
    certificate = Certificate.objects.with_status().get(pk=certificate.pk)
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_by == staff_user
    assert certificate.revocation_reason == "Issued to the wrong person"
    assert certificate.status_date == timezone.localdate()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revoke_needs_a_reason(user, staff_user, programme, issue, reason):
    certificate = issue(user, programme)
    with pytest.raises(issuing.IssuingError):
        issuing.revoke(certificate, staff_user, reason)
    certificate.refresh_status()
    assert certificate.status == CertificateStatus.VALID


def test_revoke_twice_is_refused(user, staff_user, programme, issue):
    certificate = issue(user, programme)
    issuing.revoke(certificate, staff_user, "Reason")
    with pytest.raises(issuing.IssuingError):
        issuing.revoke(certificate, staff_user, "Another reason")


def test_admin_renew_supersedes_with_a_new_period(user, staff_user, programme, issue):
    old = issue(user, programme, timezone.now() - datetime.timedelta(days=800))
    new = issuing.renew(old, by=staff_user)
    assert new.supersedes_id == old.pk
    assert new.expires_on == rules.add_months(timezone.localdate(), programme.validity_months)
    with pytest.raises(issuing.IssuingError):
        issuing.renew(old, by=staff_user)


def test_revoked_certificate_cannot_be_renewed_or_reissued(user, staff_user, programme, issue):
    old = issue(user, programme)
    issuing.revoke(old, staff_user, "Name misspelt")
    for replace in (issuing.renew, issuing.reissue):
        with pytest.raises(issuing.IssuingError):
            replace(old, by=staff_user)
    old.refresh_status()
    assert old.status == CertificateStatus.REVOKED
    assert not Certificate.objects.filter(supersedes=old).exists()


def test_relinquished_certificate_is_no_longer_held(user, programme, issue):
    certificate = issue(user, programme)
    issuing.relinquish(certificate)
    assert certificate.status == CertificateStatus.RELINQUISHED


def test_status_precedence(user, staff_user, programme, issue):
    old = issue(user, programme, timezone.now() - datetime.timedelta(days=800))
    issuing.renew(old, by=staff_user)
    issuing.relinquish(old)
    assert old.status == CertificateStatus.RELINQUISHED  # beats superseded and expired
    Certificate.objects.filter(pk=old.pk).update(
        revoked_at=timezone.now(), revocation_reason="Fraud"
    )
    old.refresh_status()
    assert old.status == CertificateStatus.REVOKED  # beats everything


def test_status_property_agrees_with_annotation(user, staff_user, programme, issue):
    certificates = [issue(user, programme, timezone.now() - datetime.timedelta(days=800))]
    certificates.append(issuing.renew(certificates[0], by=staff_user))
    for certificate in Certificate.objects.with_status():
        fresh = Certificate.objects.get(pk=certificate.pk)
        assert fresh.status == certificate.status


def test_template_and_profile_changes_never_change_an_issued_certificate(user, programme, issue):
    certificate = issue(user, programme)
    before = Certificate.objects.values().get(pk=certificate.pk)
    pdf_before = certificate.pdf.read()
    template = CertificateTemplate.default()
    template.heading = "Completely different heading"
    template.wording = "Nothing like before, {holder}."
    template.accent_colour = "#aa0000"
    template.save()
    Profile.objects.filter(user=user).update(certificate_name="Someone Else")
    programme.credential_name = "Renamed credential"
    programme.title = "Renamed programme"
    programme.save_revision().publish()
    after = Certificate.objects.values().get(pk=certificate.pk)
    assert after == before
    certificate.refresh_from_db()
    certificate.pdf.open("rb")
    assert certificate.pdf.read() == pdf_before


def test_unique_constraint_rejects_a_second_certificate_for_the_same_cycle(user, programme, issue):
    from django.db import IntegrityError, transaction

    certificate = issue(user, programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            holder=user,
            programme=programme,
            cycle=certificate.cycle,
            holder_name="x",
            credential_name="x",
            credential_code="PSGF",
            programme_title="x",
            issuer_name="x",
            number="PSGF-2026-999999",
            verification_code="ABCDEFGHJKLMNPQR",
        )
