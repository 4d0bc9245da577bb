"""Awards on recognition of prior learning (`certificates/awards.py`): the rules one by one, the
certificate made by the usual issuing code (number, PDF, public verification), its audit entry,
the admin's display and evidence download, the data export and erasure."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from peerpath.certificates import audit, awards, privacy
from peerpath.certificates.models import Certificate, CertificateLogEntry, PriorLearningAward
from peerpath.certificates.status import CertificateStatus
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.roles import Role
from peerpath.organisations.setup import add_staff
from tests.factories import UserFactory
from tests.organisations.fixtures import *  # noqa: F403 - organisation, other_organisation, editor

from .factories import CertificateFactory, certificate_in_status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def days(n):
    return datetime.timedelta(days=n)


def seeing_certificates(organisation, user):
    """`user`, a coordinator of `organisation`, whose group may view certificates (as
    `certificates.role_permissions` grants coordinators)."""
    permission = Permission.objects.get(codename="view_certificate")
    organisation.coordinators_group.permissions.add(permission)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def coordinator(organisation):
    user = UserFactory(email="coordinator@riverside.example", first_name="Cora")
    add_staff(organisation, user, Role.COORDINATOR)
    return seeing_certificates(organisation, user)


@pytest.fixture
def other_coordinator(other_organisation):
    user = UserFactory(email="coordinator@northside.example")
    add_staff(other_organisation, user, Role.COORDINATOR)
    return seeing_certificates(other_organisation, user)


@pytest.fixture
def runs(programme, organisation, other_organisation):
    programme.organisations.add(organisation, other_organisation)
    programme.save()
    return programme


@pytest.fixture
def member(organisation):
    user = UserFactory(email="facilitator@riverside.example", first_name="Fay", last_name="Cole")
    OrganisationMembership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def make_award(runs, organisation, member, coordinator, django_capture_on_commit_callbacks):
    """Award `member` a certificate of `runs`, rendering its PDF after the commit."""

    def _award(**overrides):
        today = timezone.localdate()
        fields = {
            "holder": member,
            "programme": runs,
            "organisation": organisation,
            "original_issued_on": today - days(400),
            "expires_on": today + days(330),
            "evidence_note": "Certified by the county peer network, course of May 2024.",
            "by": coordinator,
        }
        fields.update(overrides)
        holder, programme = fields.pop("holder"), fields.pop("programme")
        with django_capture_on_commit_callbacks(execute=True):
            certificate = awards.award(holder, programme, **fields)
        certificate.refresh_from_db()
        return certificate

    return _award


def refused(make_award, **overrides):
    with pytest.raises(awards.AwardError) as error:
        make_award(**overrides)
    assert not PriorLearningAward.objects.exists()
    assert not Certificate.objects.exists()
    return str(error.value)


# --- The certificate: the usual one, dated as given ---------------------------------------------


def test_award_issues_an_ordinary_certificate_dated_as_given(make_award, member, coordinator):
    today = timezone.localdate()
    certificate = make_award()
    original = today - days(400)
    assert timezone.localdate(certificate.issued_at) == original
    assert certificate.expires_on == today + days(330)
    assert certificate.cycle == 1 and not certificate.is_provisional
    assert certificate.number == f"PSGF-{original.year}-000001"
    assert certificate.holder_name == "Fay Cole"
    assert certificate.status == CertificateStatus.VALID
    assert certificate.pdf and certificate.pdf_sha256
    award = certificate.prior_learning_award
    assert award.original_issued_on == original and award.awarded_by == coordinator
    assert award.evidence_note.startswith("Certified by the county")


def test_numbers_follow_the_year_of_the_original_date_and_stay_unique(
    make_award, organisation, runs, issue
):
    today = timezone.localdate()
    first = make_award()
    second_member = UserFactory()
    OrganisationMembership.objects.create(user=second_member, organisation=organisation)
    second = make_award(holder=second_member)
    assert first.number != second.number
    assert second.number.endswith("-000002")
    # A completion today takes the next number of this year's sequence.
    completed = issue(UserFactory(), runs)
    original_year = (today - days(400)).year
    assert completed.number == f"PSGF-{today.year}-{3 if original_year == today.year else 1:06d}"


def test_grace_period_comes_from_the_programme(make_award, runs):
    runs.grace_period_days = 30
    runs.save()
    certificate = make_award()
    assert certificate.grace_ends_on == certificate.expires_on + days(30)


def test_the_public_page_verifies_it_and_never_mentions_prior_learning(client, make_award):
    certificate = make_award()
    response = client.get(reverse("certificates:verify", args=[certificate.display_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in html and certificate.number in html
    # Issued on the original date; valid through the day before `expires_on`, as for any other.
    original = timezone.localdate() - days(400)
    assert date_format(original, "j F Y") in html
    assert date_format(certificate.expires_on - days(1), "j F Y") in html
    for word in ["prior learning", "Prior learning", "awarded on", "county peer network"]:
        assert word not in html


def test_the_badge_assertion_is_served(client, make_award):
    certificate = make_award()
    response = client.get(reverse("certificates:assertion", args=[certificate.display_code]))
    assert response.status_code == 200
    assert b"prior learning" not in response.content.lower()


def test_the_award_is_audited_with_its_evidence_note(make_award, coordinator):
    certificate = make_award()
    entry = certificate.log_entries.get()
    assert entry.action == audit.AWARD and entry.user_id == coordinator.pk
    assert entry.data["reason"].startswith("Certified by the county")
    assert entry.message == "Awarded on recognition of prior learning"


def test_evidence_file_is_stored_under_a_name_from_its_content(make_award):
    upload = SimpleUploadedFile("my old certificate.exe", PDF, content_type="application/pdf")
    certificate = make_award(evidence_file=upload)
    name = certificate.prior_learning_award.evidence_file.name
    assert name.startswith("prior-learning/") and name.endswith(".pdf")
    assert "old" not in name


# --- The rules, one by one ----------------------------------------------------------------------


def test_expiry_must_follow_the_original_date(make_award):
    today = timezone.localdate()
    message = refused(make_award, original_issued_on=today - days(10), expires_on=today - days(20))
    assert "after the original issue date" in message


def test_original_date_cannot_be_in_the_future(make_award):
    today = timezone.localdate()
    message = refused(make_award, original_issued_on=today + days(1), expires_on=today + days(90))
    assert "cannot be in the future" in message


def test_an_expiry_already_passed_is_refused_with_the_reason(make_award):
    today = timezone.localdate()
    message = refused(make_award, expires_on=today - days(1))
    assert "expiry date has passed" in message


def test_expiry_is_needed_when_the_programme_expires(make_award):
    assert "Give the expiry date" in refused(make_award, expires_on=None)


def test_no_expiry_when_the_programme_never_expires(make_award, runs):
    runs.validity_months = None
    runs.save()
    assert make_award(expires_on=None).expires_on is None


def test_closed_account_is_refused(make_award, member):
    member.is_active = False
    member.save()
    assert "closed" in refused(make_award)


def test_unconfirmed_address_is_refused(make_award, organisation):
    unconfirmed = UserFactory(email_confirmed=False)
    OrganisationMembership.objects.create(user=unconfirmed, organisation=organisation)
    assert "confirmed their e-mail" in refused(make_award, holder=unconfirmed)


def test_holder_must_be_a_member_of_the_organisation(make_award, other_organisation):
    outsider = UserFactory()
    OrganisationMembership.objects.create(user=outsider, organisation=other_organisation)
    assert "not a member of Riverside" in refused(make_award, holder=outsider)


def test_programme_must_be_run_by_the_organisation(make_award, runs, organisation):
    runs.organisations.remove(organisation)
    runs.save()
    assert "does not run" in refused(make_award)


def test_evidence_note_is_required(make_award):
    assert "evidence" in refused(make_award, evidence_note="   ")


@pytest.mark.parametrize("status", ["valid", "provisional", "lapsed", "suspended"])
def test_a_holder_already_certified_is_refused(make_award, member, runs, status):
    existing = certificate_in_status(member, runs, status)
    with pytest.raises(awards.AwardError, match=existing.number):
        make_award()
    assert not PriorLearningAward.objects.exists()


def test_a_revoked_certificate_blocks_an_award(make_award, member, runs):
    certificate_in_status(member, runs, "revoked")
    with pytest.raises(awards.AwardError, match="revoked"):
        make_award()


@pytest.mark.parametrize("status", ["expired", "relinquished"])
def test_after_an_expired_certificate_the_award_is_the_next_cycle(make_award, member, runs, status):
    certificate_in_status(member, runs, status)
    assert make_award().cycle == 2


def test_the_evidence_file_must_be_a_pdf_jpg_or_png_by_content(make_award):
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(awards.AwardError, match="PDF, JPG or PNG"):
        make_award(evidence_file=fake)
    assert not Certificate.objects.exists()


def test_the_evidence_file_is_at_most_10_mb(make_award):
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(awards.AwardError, match="larger than 10 MB"):
        make_award(evidence_file=big)


# --- Who may award for whom ---------------------------------------------------------------------


def test_a_coordinator_of_another_organisation_may_not_award_here(make_award, other_coordinator):
    assert "may not award" in refused(make_award, by=other_coordinator)


def test_only_a_superuser_awards_for_no_organisation(make_award, coordinator, staff_user, member):
    assert "Choose the organisation" in refused(make_award, organisation=None)
    certificate = make_award(organisation=None, by=staff_user)
    assert certificate.prior_learning_award.organisation is None


def test_who_may_award_for_which_organisation(
    organisation, other_organisation, coordinator, other_coordinator, editor, staff_user
):
    assert awards.organisations_awardable_by(staff_user) is None
    assert list(awards.organisations_awardable_by(coordinator)) == [organisation]
    assert list(awards.organisations_awardable_by(other_coordinator)) == [other_organisation]
    assert not awards.can_award(editor)
    assert not awards.can_award(UserFactory())


def test_the_permission_counts_only_where_the_group_holding_it_reaches(
    organisation, other_organisation, coordinator
):
    # A coordinator of Riverside (whose group may carry the permission) who edits for Northside
    # does not award for Northside.
    add_staff(other_organisation, coordinator, Role.EDITOR)
    permission = Permission.objects.get(codename="award_certificate")
    organisation.coordinators_group.permissions.add(permission)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert list(awards.organisations_awardable_by(coordinator)) == [organisation]
    # Held through a group of no organisation (e.g. "Certification officers"), it reaches every
    # organisation where they hold a role.
    officers = Group.objects.create(name="Certification officers")
    officers.permissions.add(permission)
    coordinator.groups.add(officers)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert set(awards.organisations_awardable_by(coordinator)) == {organisation, other_organisation}


# --- The admin: label, details, evidence --------------------------------------------------------


def test_admin_list_labels_awarded_certificates(client, staff_user, make_award):
    awarded = make_award()
    usual = CertificateFactory(number="PSGF-2026-000900")
    client.force_login(staff_user)
    html = client.get(reverse("certificates_admin:index")).content.decode()
    assert awarded.number in html and usual.number in html
    assert html.count("Awarded on recognition of prior learning") == 1
    export = client.get(reverse("certificates_admin:index") + "?export=csv")
    assert b"Awarded on recognition of prior learning" in b"".join(export.streaming_content)


def test_admin_page_shows_the_award_and_the_evidence_file(client, coordinator, make_award):
    upload = SimpleUploadedFile("scan.png", PNG)
    certificate = make_award(evidence_file=upload)
    client.force_login(coordinator)
    html = client.get(reverse("certificates_admin:inspect", args=[certificate.pk])).content.decode()
    assert "Awarded on recognition of prior learning" in html
    assert "county peer network" in html
    evidence_url = reverse("certificates_admin:evidence", args=[certificate.pk])
    assert evidence_url in html
    response = client.get(evidence_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert f"evidence-{certificate.number}.png" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG
    history = client.get(reverse("certificates_admin:history", args=[certificate.pk]))
    assert "Awarded on recognition of prior learning" in history.content.decode()


def test_evidence_is_not_served_to_another_organisation_or_a_learner(
    client, other_coordinator, member, make_award
):
    certificate = make_award(evidence_file=SimpleUploadedFile("scan.pdf", PDF))
    url = reverse("certificates_admin:evidence", args=[certificate.pk])
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code in (302, 403, 404)
    client.logout()
    assert client.get(url).status_code == 302


def test_the_audit_entry_follows_the_organisation_scope(make_award, coordinator, other_coordinator):
    certificate = make_award()
    assert (
        CertificateLogEntry.objects.viewable_by_user(coordinator)
        .filter(certificate=certificate)
        .exists()
    )
    assert (
        not CertificateLogEntry.objects.viewable_by_user(other_coordinator)
        .filter(certificate=certificate)
        .exists()
    )


# --- Export and erasure -------------------------------------------------------------------------


def test_the_holders_export_says_it_was_awarded_with_its_dates_note_and_file(make_award, member):
    certificate = make_award(evidence_file=SimpleUploadedFile("scan.pdf", PDF))
    exported = privacy.export_personal_data(member)
    record = exported["data"]["certificates"][0]
    assert record["awarded_on_recognition_of_prior_learning"] is True
    award = record["prior_learning_award"]
    assert award["originally_issued_on"] == timezone.localdate() - days(400)
    assert award["evidence_note"].startswith("Certified by the county")
    assert award["evidence_file"] is True
    assert (f"certificates/evidence-{certificate.number}.pdf", PDF) in exported["files"]
    actions = [entry["action"] for entry in record["history"]]
    assert actions == ["Awarded on recognition of prior learning"]


def test_a_usual_certificate_is_not_marked_awarded(issue, member, runs):
    issue(member, runs)
    record = privacy.export_personal_data(member)["data"]["certificates"][0]
    assert record["awarded_on_recognition_of_prior_learning"] is False
    assert record["prior_learning_award"] is None


def test_erasure_removes_the_evidence_note_and_file_but_keeps_the_award(
    make_award, member, coordinator, django_capture_on_commit_callbacks
):
    certificate = make_award(evidence_file=SimpleUploadedFile("scan.pdf", PDF))
    award = certificate.prior_learning_award
    storage, name = award.evidence_file.storage, award.evidence_file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_personal_data(member)
    award.refresh_from_db()
    assert award.evidence_note == privacy.ERASED_EVIDENCE and not award.evidence_file
    assert award.awarded_by == coordinator and award.original_issued_on
    assert not storage.exists(name)
    entry = certificate.log_entries.get(action=audit.AWARD)
    assert "reason" not in entry.data
