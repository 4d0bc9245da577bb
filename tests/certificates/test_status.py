"""Certification stages and statuses: provisional, valid, lapsed (grace period), expired,
suspended; their boundaries with a fixed clock, the lifecycle actions that move between them, and
what verifiers, badges, reports and the learner see."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from peerpath.certificates import audit, issuing, rules
from peerpath.certificates.models import Certificate, CertificateLogEntry, CertificateStatus
from peerpath.certificates.privacy import erase_personal_data, export_personal_data
from peerpath.certificates.reports import LearnerState, annotate_progress
from peerpath.organisations.models import OrganisationMembership
from peerpath.training import progress
from peerpath.training.models import Enrolment
from tests.factories import UserFactory
from tests.workshops.factories import OrganisationFactory

from .factories import CertificateFactory, certificate_in_status, make_programme
from .test_admin_reports import assert_states_are_true, org_staff

pytestmark = pytest.mark.django_db

D = datetime.date
EXPIRES_ON = D(2026, 6, 1)  # valid until 31 May 2026
GRACE_ENDS_ON = D(2026, 7, 1)  # renewable until 30 June 2026


def actions_logged(certificate):
    return list(
        CertificateLogEntry.objects.filter(certificate=certificate)
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def graced(user, programme):
    return CertificateFactory(
        holder=user,
        programme=programme,
        issued_at=timezone.make_aware(datetime.datetime(2024, 6, 1, 9)),
        expires_on=EXPIRES_ON,
        grace_ends_on=GRACE_ENDS_ON,
    )


# The grace period, day by day.


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2026, 5, 31), CertificateStatus.VALID),  # last day of validity
        (D(2026, 6, 1), CertificateStatus.LAPSED),  # first day of grace
        (D(2026, 6, 30), CertificateStatus.LAPSED),  # last day of grace
        (D(2026, 7, 1), CertificateStatus.EXPIRED),  # first day after grace
    ],
)
def test_grace_period_boundaries(graced, today, status):
    annotated = Certificate.objects.with_status(today).get(pk=graced.pk)
    assert annotated.status == status
    with freeze_time(today):
        assert Certificate.objects.get(pk=graced.pk).status == status


@pytest.mark.parametrize(
    ("today", "status"),
    [(D(2026, 5, 31), CertificateStatus.VALID), (D(2026, 6, 1), CertificateStatus.EXPIRED)],
)
def test_without_a_grace_period_a_certificate_expires_at_once(user, programme, today, status):
    certificate = CertificateFactory(holder=user, programme=programme, expires_on=EXPIRES_ON)
    assert Certificate.objects.with_status(today).get(pk=certificate.pk).status == status


@pytest.mark.parametrize(
    ("today", "banner"),
    [
        (D(2026, 5, 31), "This certificate is valid until 31 May 2026."),
        (D(2026, 6, 1), "Lapsed — renewal due by 30 June 2026"),
        (D(2026, 6, 30), "Lapsed — renewal due by 30 June 2026"),
        (D(2026, 7, 1), "Expired on 1 June 2026"),
    ],
)
def test_verification_page_follows_the_grace_period(client, home_page, graced, today, banner):
    with freeze_time(datetime.datetime(2026, today.month, today.day, 12)):
        html = client.get(graced.get_absolute_url()).content.decode()
    assert banner in html


def test_issuing_fixes_the_programmes_grace_period_on_the_certificate(user, home_page, issue):
    programme = make_programme(home_page, code="GRCE", grace_period_days=90)
    with freeze_time("2026-03-02 10:00"):
        certificate = issue(user, programme)
    assert certificate.expires_on == D(2028, 3, 2)
    assert certificate.grace_ends_on == D(2028, 5, 31)
    programme.grace_period_days = 0
    programme.save_revision().publish()
    certificate.refresh_from_db()
    assert certificate.grace_ends_on == D(2028, 5, 31)


def test_a_programme_without_grace_issues_certificates_without_one(user, programme, issue):
    assert issue(user, programme).grace_ends_on is None


def test_a_lapsed_certificate_is_renewed_without_a_gap_from_today(graced, staff_user):
    with freeze_time("2026-06-15 09:00"):
        assert rules.is_renewable(Certificate.objects.get(pk=graced.pk))
        successor = issuing.renew(graced, by=staff_user)
    assert successor.expires_on == D(2028, 6, 15)
    assert Certificate.objects.get(pk=graced.pk).status == CertificateStatus.SUPERSEDED
    assert successor.status == CertificateStatus.VALID


def test_completing_again_during_grace_renews(user, graced, programme, issue):
    with freeze_time("2026-06-20 09:00"):
        successor = issue(user, programme, timezone.now())
    assert successor.supersedes_id == graced.pk and successor.cycle == 2


# The provisional stage.


@pytest.fixture
def staged_programme(home_page):
    return make_programme(
        home_page, code="PROV", provisional_validity_months=6, grace_period_days=30
    )


@pytest.fixture
def provisional(user, staged_programme, issue):
    with freeze_time("2026-01-10 10:00"):
        return issue(user, staged_programme)


def test_completion_of_a_staged_programme_issues_a_provisional_certificate(provisional):
    assert provisional.is_provisional
    assert provisional.expires_on == D(2026, 7, 10)
    assert provisional.grace_ends_on is None  # a provisional stage has no grace period
    with freeze_time("2026-07-09"):
        assert Certificate.objects.get(pk=provisional.pk).status == CertificateStatus.PROVISIONAL
    with freeze_time("2026-07-10"):
        assert Certificate.objects.get(pk=provisional.pk).status == CertificateStatus.EXPIRED


def test_confirming_full_certification_supersedes_with_no_gap(provisional, staff_user):
    with freeze_time("2026-04-01 15:00"):
        full = issuing.confirm_full(provisional, by=staff_user)
        old = Certificate.objects.get(pk=provisional.pk)
        assert old.status == CertificateStatus.SUPERSEDED
        assert full.status == CertificateStatus.VALID
    assert not full.is_provisional and full.cycle == 2 and full.supersedes_id == provisional.pk
    assert full.issued_on == D(2026, 4, 1) <= provisional.valid_until
    assert full.expires_on == D(2028, 4, 1)
    assert full.grace_ends_on == D(2028, 5, 1)
    assert actions_logged(provisional)[-1] == audit.CONFIRM
    assert actions_logged(full) == [audit.ISSUE]


def test_only_a_provisional_certificate_in_force_can_be_confirmed(user, programme, staff_user):
    certificate = certificate_in_status(user, programme, "valid")
    with pytest.raises(issuing.IssuingError, match="Only a provisional certificate"):
        issuing.confirm_full(certificate, by=staff_user)
    assert not Certificate.objects.filter(supersedes=certificate).exists()


@freeze_time("2026-03-01 12:00")
def test_completing_again_does_not_turn_a_provisional_certificate_into_a_full_one(
    user, staged_programme, provisional, issue
):
    again = issue(user, staged_programme, timezone.now())
    assert again.pk == provisional.pk


@freeze_time("2026-03-01 12:00")
def test_provisional_certificate_cannot_be_renewed_but_can_be_reissued(provisional, staff_user):
    with pytest.raises(issuing.IssuingError, match="confirm full certification"):
        issuing.renew(provisional, by=staff_user)
    copy = issuing.reissue(provisional, by=staff_user)
    assert copy.is_provisional and copy.expires_on == provisional.expires_on


# Suspension.


def test_suspend_and_reinstate_are_audited_and_reversible(user, programme, staff_user):
    certificate = certificate_in_status(user, programme, "valid")
    issuing.suspend(certificate, staff_user, "  Complaint being investigated  ")
    assert certificate.status == CertificateStatus.SUSPENDED
    assert certificate.suspension_reason == "Complaint being investigated"
    assert certificate.suspended_by == staff_user
    issuing.reinstate(certificate, staff_user, "Complaint not upheld")
    assert certificate.status == CertificateStatus.VALID
    assert certificate.suspended_at is None and certificate.suspension_reason == ""
    entries = CertificateLogEntry.objects.filter(certificate=certificate).order_by("pk")
    assert [(e.action, e.user_id, e.data["reason"]) for e in entries] == [
        (audit.SUSPEND, staff_user.pk, "Complaint being investigated"),
        (audit.REINSTATE, staff_user.pk, "Complaint not upheld"),
    ]


def test_a_suspended_certificate_that_expired_meanwhile_is_expired_when_reinstated(
    user, programme, staff_user
):
    certificate = CertificateFactory(holder=user, programme=programme, expires_on=EXPIRES_ON)
    with freeze_time("2026-05-20"):
        issuing.suspend(certificate, staff_user, "Complaint")
    with freeze_time("2026-06-10"):
        assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUSPENDED
        issuing.reinstate(certificate, staff_user)
        assert certificate.status == CertificateStatus.EXPIRED


@pytest.mark.parametrize(
    ("status", "action", "reason", "message"),
    [
        ("valid", "suspend", "   ", "Give a reason"),
        ("revoked", "suspend", "Complaint", "revoked cannot be suspended"),
        ("expired", "suspend", "Complaint", "expired cannot be suspended"),
        ("suspended", "suspend", "Complaint", "already suspended"),
        ("valid", "reinstate", "", "Only a suspended certificate"),
        ("revoked", "reinstate", "", "Only a suspended certificate"),
    ],
)
def test_bad_suspensions_and_reinstatements_change_nothing(
    user, programme, staff_user, status, action, reason, message
):
    certificate = certificate_in_status(user, programme, status)
    before = Certificate.objects.filter(pk=certificate.pk).values().get()
    with pytest.raises(issuing.IssuingError, match=message):
        getattr(issuing, action)(certificate, staff_user, reason)
    assert Certificate.objects.filter(pk=certificate.pk).values().get() == before
    assert actions_logged(certificate) == []


def test_suspended_certificate_is_neither_renewed_nor_reissued(user, programme, staff_user):
    certificate = certificate_in_status(user, programme, "suspended")
    for action in (issuing.renew, issuing.reissue):
        with pytest.raises(issuing.IssuingError, match="reinstate it first"):
            action(certificate, by=staff_user)
    assert not rules.is_renewable(certificate)


# The admin actions.


def test_admin_suspends_with_a_reason_and_reinstates(admin_client, user, programme):
    certificate = certificate_in_status(user, programme, "valid")
    inspect = reverse("certificates_admin:inspect", args=[certificate.pk])
    suspend = reverse("certificates_admin:suspend", args=[certificate.pk])
    reinstate = reverse("certificates_admin:reinstate", args=[certificate.pk])
    page = admin_client.get(inspect).content.decode()
    assert suspend in page and reinstate not in page
    response = admin_client.post(suspend, {"reason": ""})
    assert response.status_code == 200 and b"This field is required" in response.content
    assert Certificate.objects.get(pk=certificate.pk).suspended_at is None
    response = admin_client.post(suspend, {"reason": "Complaint being investigated"})
    assert response.status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUSPENDED
    page = admin_client.get(inspect).content.decode()
    assert reinstate in page and suspend not in page
    assert admin_client.post(reinstate, {"reason": ""}).status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID


def test_admin_refuses_to_reinstate_what_is_not_suspended(admin_client, user, programme):
    certificate = certificate_in_status(user, programme, "valid")
    response = admin_client.post(
        reverse("certificates_admin:reinstate", args=[certificate.pk]), follow=True
    )
    assert "is valid: “Reinstate” does not apply to it" in response.content.decode()
    assert actions_logged(certificate) == []


@freeze_time("2026-03-01 12:00")
def test_admin_confirms_full_certification(admin_client, provisional):
    url = reverse("certificates_admin:confirm", args=[provisional.pk])
    inspect = admin_client.get(reverse("certificates_admin:inspect", args=[provisional.pk]))
    assert url in inspect.content.decode()
    response = admin_client.post(url)
    full = Certificate.objects.get(supersedes=provisional)
    assert response["Location"] == reverse("certificates_admin:inspect", args=[full.pk])
    assert not full.is_provisional


def test_suspending_needs_the_revoke_permission(client, user, programme):
    certificate = certificate_in_status(user, programme, "valid")
    organisation = OrganisationFactory()
    OrganisationMembership.objects.create(user=user, organisation=organisation)
    staff = org_staff(organisation, "change_certificate")
    client.force_login(staff)
    url = reverse("certificates_admin:suspend", args=[certificate.pk])
    # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard.
    assert client.post(url, {"reason": "Complaint"})["Location"] == reverse("wagtailadmin_home")
    assert Certificate.objects.get(pk=certificate.pk).suspended_at is None
    staff.user_permissions.add(Permission.objects.get(codename="revoke_certificate"))
    response = client.post(url, {"reason": "Complaint"})
    assert response["Location"] == reverse("certificates_admin:inspect", args=[certificate.pk])
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUSPENDED


def test_listing_filters_by_the_new_statuses(admin_client, user, programme, other_user):
    suspended = certificate_in_status(user, programme, "suspended")
    lapsed = certificate_in_status(other_user, programme, "lapsed")
    url = reverse("certificates_admin:index")
    page = admin_client.get(url, {"status": "suspended"}).content.decode()
    assert suspended.number in page and lapsed.number not in page
    page = admin_client.get(url, {"status": "lapsed"}).content.decode()
    assert lapsed.number in page and suspended.number not in page


# Verification, badges, reports, the learner and privacy.


@pytest.mark.parametrize("status", ["provisional", "lapsed", "suspended"])
def test_verification_page_stays_within_three_queries(
    client, home_page, user, programme, status, django_assert_max_num_queries
):
    certificate = certificate_in_status(user, programme, status)
    client.get(certificate.get_absolute_url())
    with django_assert_max_num_queries(3):
        response = client.get(certificate.get_absolute_url())
    assert f"certificate-status--{status}" in response.content.decode()


def test_suspension_reason_is_never_shown_to_verifiers(client, home_page, user, programme):
    certificate = certificate_in_status(user, programme, "suspended")
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "Suspended since" in html and "Complaint under review" not in html


@pytest.mark.parametrize(
    ("status", "code", "revoked"),
    [("suspended", 410, True), ("provisional", 200, False), ("lapsed", 200, False)],
)
def test_badge_assertion_by_status(client, home_page, user, programme, status, code, revoked):
    certificate = certificate_in_status(user, programme, status)
    response = client.get(reverse("certificates:assertion", args=[certificate.display_code]))
    assert response.status_code == code
    assert response.json().get("revoked", False) is revoked
    if revoked:
        assert response.json()["revocationReason"] == "Suspended"


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("provisional", LearnerState.PROVISIONAL),
        ("lapsed", LearnerState.LAPSED),
        ("expired", LearnerState.EXPIRED),
        ("suspended", LearnerState.SUSPENDED),
        ("valid", LearnerState.CERTIFIED),
    ],
)
def test_report_state_follows_the_certificate(user, programme, status, state):
    progress.enrol(user, programme)
    certificate_in_status(user, programme, status)
    assert annotate_progress(Enrolment.objects.all()).get().state == state
    assert_states_are_true()


def test_my_training_shows_each_certificates_status(client, user, home_page, other_user):
    programmes = [
        make_programme(home_page, title=f"Programme {code}", code=code)
        for code in ("AAA", "BBB", "CCC")
    ]
    for programme, status in zip(programmes, ["provisional", "lapsed", "suspended"], strict=True):
        certificate_in_status(user, programme, status)
    client.force_login(user)
    html = client.get(reverse("training:my_training")).content.decode()
    for text in ("Provisional until", "Lapsed — renewal due by", "Suspended since"):
        assert text in html


def test_export_includes_the_suspension_and_erasure_removes_it(user, programme, staff_user):
    certificate = certificate_in_status(user, programme, "valid")
    issuing.suspend(certificate, staff_user, "Complaint being investigated")
    (record,) = export_personal_data(user)["data"]["certificates"]
    assert record["status"] == "suspended"
    assert record["suspension_reason"] == "Complaint being investigated"
    assert record["provisional"] is False
    erase_personal_data(user, erased_by=staff_user)
    erased = Certificate.objects.get(pk=certificate.pk)
    assert erased.suspension_reason == "" and erased.suspended_at is None
    assert erased.status == CertificateStatus.RELINQUISHED


def test_dashboard_counts_each_new_status_and_links_to_its_list(staff_user, programme):
    from peerpath.certificates.dashboard import CertificationPanel
    from peerpath.certificates.reports import dashboard_counts

    for status, how_many in (("provisional", 1), ("lapsed", 2), ("suspended", 3)):
        for _number in range(how_many):
            certificate_in_status(UserFactory(), programme, status)
    counts = dashboard_counts(staff_user)
    assert (counts["provisional"], counts["lapsed"], counts["suspended"]) == (1, 2, 3)
    html = CertificationPanel(staff_user).render_html({})
    for status in ("provisional", "lapsed", "suspended"):
        assert f"status={status}" in html


def test_history_shows_suspension_and_reinstatement_with_reasons(
    admin_client, user, programme, staff_user
):
    certificate = certificate_in_status(user, programme, "valid")
    issuing.suspend(certificate, staff_user, "Complaint being investigated")
    issuing.reinstate(certificate, staff_user, "Complaint not upheld")
    response = admin_client.get(reverse("certificates_admin:history", args=[certificate.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Suspended", "Complaint being investigated", "Reinstated", "Complaint not upheld"):
        assert text in html
