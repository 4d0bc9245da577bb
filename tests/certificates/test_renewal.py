"""Renewal against the programme's requirements: progress per certificate, the holder renewing
with no gap, what reminders say is missing, and carry-over of extra hours."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from peerpath.certificates import issuing, reminders
from peerpath.certificates.models import Certificate, CertificateStatus
from peerpath.certificates.renewal import attach_renewal_progress, renewal_progress
from peerpath.training.models import (
    ContinuingEducationActivity,
    ProgrammeRequirement,
)
from peerpath.workshops.models import FacilitationLogEntry

from .factories import CertificateFactory, make_programme

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = ProgrammeRequirement.Kind
RENEWAL = ProgrammeRequirement.Stage.RENEWAL
ISSUED = datetime.datetime(2025, 3, 1, 10, 0, tzinfo=datetime.UTC)
EXPIRES_ON = D(2026, 3, 1)  # valid until 28 February 2026
GRACE_ENDS_ON = D(2026, 5, 30)  # renewable until 29 May 2026


@pytest.fixture
def annual(home_page, ethics):
    """Modelled on Georgia: renew every year with 12 CE hours, at least 1 in ethics, and
    (modelled on MHFA instructors) 3 sessions led, where sessions facilitators record themselves
    count (as every requirement made before the facilitation record was confirmed does)."""
    programme = make_programme(home_page, code="ANNL", validity_months=12, grace_period_days=90)
    for fields in (
        {"kind": Kind.CE_HOURS, "minimum": Decimal(12)},
        {"kind": Kind.CE_HOURS, "minimum": Decimal(1), "category": ethics},
        {
            "kind": Kind.SESSIONS,
            "minimum": Decimal(3),
            "session_role": "led",
            "count_self_reported": True,
        },
    ):
        ProgrammeRequirement.objects.create(programme=programme, stage=RENEWAL, **fields)
    return programme


@pytest.fixture
def certificate(user, annual):
    return CertificateFactory(
        holder=user,
        programme=annual,
        issued_at=ISSUED,
        expires_on=EXPIRES_ON,
        grace_ends_on=GRACE_ENDS_ON,
    )


def log_ce(user, category, hours, day):
    ContinuingEducationActivity.objects.create(
        learner=user, title="Course", provider="Provider", date=day, hours=hours, category=category
    )


def log_sessions(user, count, day):
    for _ in range(count):
        FacilitationLogEntry.objects.create(
            facilitator=user, workshop_title="Circle", date=day, minutes=60, participants=5
        )


def fresh(certificate, today=None):
    return Certificate.objects.with_status(today).get(pk=certificate.pk)


def meet_requirements(user, ethics, recovery, day=None):
    day = day or D(2025, 9, 1)
    log_ce(user, ethics, Decimal(2), day)
    log_ce(user, recovery, Decimal(10), day)
    log_sessions(user, 3, day)


@freeze_time("2025-12-01 09:00")
def test_progress_counts_only_what_was_done_since_the_certificate_was_issued(
    user, certificate, ethics, recovery
):
    log_ce(user, recovery, Decimal(20), D(2025, 2, 28))  # before: never counts
    log_ce(user, ethics, Decimal("0.5"), D(2025, 3, 1))
    log_ce(user, recovery, Decimal(4), D(2025, 6, 1))
    log_sessions(user, 1, D(2025, 7, 1))
    progress = renewal_progress(fresh(certificate))
    assert [(item.done, item.needed, item.is_met) for item in progress.items] == [
        (Decimal("4.5"), Decimal(12), False),
        (Decimal("0.5"), Decimal(1), False),
        (Decimal(1), Decimal(3), False),
    ]
    assert progress.hours_by_category == [
        ("Ethics", Decimal("0.5")),
        ("Peer support and recovery", Decimal(4)),
    ]
    assert progress.deadline == D(2026, 2, 28)
    assert progress.missing == [
        "7.5 more hours: continuing-education hours (any category)",
        "0.5 more hours: continuing-education hours in ethics",
        "2 more sessions (sessions led as the lead facilitator)",
    ]
    assert not progress.can_renew


def test_the_holder_renews_with_no_gap_once_requirements_are_met(
    user, certificate, ethics, recovery
):
    meet_requirements(user, ethics, recovery)
    with freeze_time("2026-01-15 09:00"):  # within 60 days of expiry
        progress = renewal_progress(fresh(certificate))
        assert progress.is_met and progress.can_renew
        successor = issuing.renew_as_holder(fresh(certificate), user)
    assert successor.supersedes_id == certificate.pk
    assert successor.expires_on == D(2027, 3, 1)  # starts when the old one ends
    assert fresh(certificate, D(2026, 1, 15)).status == CertificateStatus.SUPERSEDED
    assert fresh(successor, D(2026, 2, 28)).status == CertificateStatus.VALID
    assert fresh(successor, D(2026, 3, 1)).status == CertificateStatus.VALID


def test_renewal_before_the_window_opens_is_refused(user, certificate, ethics, recovery):
    meet_requirements(user, ethics, recovery)
    with freeze_time("2025-12-30 09:00"):  # the window opens 60 days before expiry
        progress = renewal_progress(fresh(certificate))
        assert progress.is_met and not progress.can_renew
        assert progress.opens_on == D(2025, 12, 31)
        with pytest.raises(issuing.IssuingError, match="Renewal opens 60 days"):
            issuing.renew_as_holder(fresh(certificate), user)
    with freeze_time("2025-12-31 09:00"):
        assert issuing.renew_as_holder(fresh(certificate), user).supersedes_id == certificate.pk


def test_renewal_with_requirements_unmet_is_refused_and_says_what_is_missing(
    user, certificate, ethics
):
    log_ce(user, ethics, Decimal(12), D(2025, 9, 1))
    with freeze_time("2026-01-15 09:00"):
        with pytest.raises(issuing.IssuingError, match="3 more sessions"):
            issuing.renew_as_holder(fresh(certificate), user)
    assert not Certificate.objects.filter(supersedes=certificate).exists()


def test_only_the_holder_renews(user, other_user, certificate, ethics, recovery):
    meet_requirements(user, ethics, recovery)
    with freeze_time("2026-01-15 09:00"):
        with pytest.raises(issuing.IssuingError, match="Only the holder"):
            issuing.renew_as_holder(fresh(certificate), other_user)


@pytest.mark.parametrize(
    ("today", "renewable"),
    [
        (D(2026, 3, 1), True),  # first day lapsed
        (D(2026, 5, 29), True),  # last day of grace
        (D(2026, 5, 30), False),  # expired
    ],
)
def test_a_lapsed_certificate_is_renewed_by_its_holder_until_grace_ends(
    user, certificate, ethics, recovery, today, renewable
):
    meet_requirements(user, ethics, recovery)
    with freeze_time(datetime.datetime.combine(today, datetime.time(9))):
        current = fresh(certificate)
        if renewable:
            assert current.status == CertificateStatus.LAPSED
            assert renewal_progress(current).deadline == D(2026, 5, 29)
            successor = issuing.renew_as_holder(current, user)
            assert successor.status == CertificateStatus.VALID
        else:
            assert current.status == CertificateStatus.EXPIRED
            assert renewal_progress(current) is None
            with pytest.raises(issuing.IssuingError):
                issuing.renew_as_holder(current, user)


@pytest.mark.parametrize("status", ["suspended", "revoked", "provisional"])
def test_certificates_not_in_force_show_no_renewal_progress(user, annual, status):
    from .factories import certificate_in_status

    certificate = certificate_in_status(user, annual, status)
    assert renewal_progress(fresh(certificate)) is None


def test_extra_hours_do_not_carry_over_unless_the_programme_says_so(
    user, annual, certificate, ethics, recovery
):
    log_ce(user, recovery, Decimal(20), D(2025, 9, 1))  # 8 beyond the 12 needed
    successor = CertificateFactory(
        holder=user,
        programme=annual,
        cycle=2,
        supersedes=certificate,
        issued_at=datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC),
        expires_on=D(2027, 3, 1),
    )
    with freeze_time("2026-02-01 09:00"):
        assert renewal_progress(fresh(successor)).items[0].done == 0
        annual.ce_carry_over_hours = 5
        annual.save_revision().publish()
        progress = renewal_progress(
            Certificate.objects.with_status().select_related("programme").get(pk=successor.pk)
        )
    assert progress.carried_ce_hours == 5
    assert progress.items[0].done == 5  # the total only
    assert progress.items[1].done == 0  # not the ethics minimum


@freeze_time("2026-01-15 09:00")
def test_my_training_shows_renewal_progress_and_the_renew_button(
    client, user, certificate, ethics, recovery, django_assert_max_num_queries
):
    client.force_login(user)
    html = client.get(reverse("training:my_training")).content.decode()
    assert "Towards renewal" in html
    assert "Still needed:" in html and "3 more sessions" in html
    assert "Renew my certificate" not in html
    meet_requirements(user, ethics, recovery)
    html = client.get(reverse("training:my_training")).content.decode()
    assert "Renew my certificate" in html
    response = client.post(reverse("certificates:renew", args=[certificate.display_code]))
    assert response.status_code == 302
    successor = Certificate.objects.get(supersedes=certificate)
    messages = client.get(reverse("training:my_training")).content.decode()
    assert f"Renewed: your new certificate is {successor.number}." in messages
    assert "It is valid until 28 February 2027." in messages


@freeze_time("2026-01-15 09:00")
def test_renew_view_refuses_clearly_and_changes_nothing(client, user, other_user, certificate):
    url = reverse("certificates:renew", args=[certificate.display_code])
    assert client.get(url).status_code in (302, 405)
    client.force_login(other_user)
    assert client.post(url).status_code == 404
    assert client.post(reverse("certificates:renew", args=["not-a-code"])).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Not yet: still needed" in response.content.decode()
    assert not Certificate.objects.filter(supersedes=certificate).exists()


def test_attaching_progress_to_several_certificates_costs_a_fixed_number_of_queries(
    user, annual, certificate, ethics, recovery, django_assert_max_num_queries
):
    meet_requirements(user, ethics, recovery)
    with freeze_time("2026-01-15 09:00"):
        certificates = list(Certificate.objects.with_status().filter(holder=user))
        with django_assert_max_num_queries(7):
            attach_renewal_progress(certificates)
    assert certificates[0].renewal.is_met


@freeze_time("2026-01-01 08:00")
def test_reminder_lists_what_is_still_missing(user, certificate, ethics):
    log_ce(user, ethics, Decimal(2), D(2025, 9, 1))
    reminded = reminders.send_due_reminders()
    assert [(c.pk, days) for c, days in reminded] == [(certificate.pk, 60)]
    body = mail.outbox[-1].body
    assert "To renew, you still need:" in body
    assert "10 more hours: continuing-education hours (any category)" in body
    assert "3 more sessions (sessions led as the lead facilitator)" in body
    assert "ethics" not in body.split("you still need:")[1].split("Log continuing")[0].replace(
        "any category", ""
    ).replace("continuing-education hours (", "")
    assert "/my/" in body


@freeze_time("2026-01-01 08:00")
def test_reminder_when_requirements_are_met_says_so(user, certificate, ethics, recovery):
    meet_requirements(user, ethics, recovery)
    reminders.send_due_reminders()
    assert "You have met every renewal requirement" in mail.outbox[-1].body


def test_provisional_and_lapsed_certificates_get_no_reminder(user, other_user, annual):
    from .factories import certificate_in_status

    # Both within the reminder window: a provisional one ending in 30 days, a lapsed one.
    CertificateFactory(
        holder=user,
        programme=annual,
        is_provisional=True,
        expires_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    certificate_in_status(other_user, annual, "lapsed")
    assert reminders.send_due_reminders() == []


# Found in review: periods that touch, reissues, repeated requests.


def test_hours_that_made_a_renewal_possible_do_not_count_again(user, certificate, ethics, recovery):
    with freeze_time("2026-01-15 08:00"):  # logged that morning
        meet_requirements(user, ethics, recovery, day=D(2026, 1, 15))
    with freeze_time("2026-01-15 12:00"):
        successor = issuing.renew_as_holder(fresh(certificate), user)
    with freeze_time("2026-01-15 15:00"):
        log_ce(user, ethics, Decimal(1), D(2026, 1, 15))  # logged after renewing, same day
        progress = renewal_progress(fresh(successor))
    assert [item.done for item in progress.items] == [Decimal(1), Decimal(1), Decimal(0)]


def test_a_reissue_keeps_the_period_and_the_hours_logged_in_it(
    user, certificate, ethics, recovery, staff_user
):
    meet_requirements(user, ethics, recovery)
    with freeze_time("2025-12-01 09:00"):
        copy = issuing.reissue(fresh(certificate), by=staff_user)
        progress = renewal_progress(fresh(copy))
    assert progress.period.start == D(2025, 3, 1)
    assert progress.is_met


def test_renewing_twice_says_it_was_already_renewed(user, certificate, ethics, recovery):
    meet_requirements(user, ethics, recovery)
    with freeze_time("2026-01-15 09:00"):
        issuing.renew_as_holder(fresh(certificate), user)
        with pytest.raises(issuing.IssuingError, match="already been renewed"):
            issuing.renew_as_holder(fresh(certificate), user)
    assert Certificate.objects.filter(supersedes=certificate).count() == 1


def test_my_certificates_panel_queries_grow_by_a_fixed_amount_per_renewing_certificate(
    rf, user, home_page, ethics, django_assert_max_num_queries
):
    from peerpath.certificates.wagtail_hooks import my_certificates_panel

    for number, code in enumerate(["QA", "QB", "QC"]):
        programme = make_programme(home_page, title=f"Programme {code}", code=code)
        ProgrammeRequirement.objects.create(
            programme=programme, stage=RENEWAL, kind=Kind.CE_HOURS, minimum=Decimal(5)
        )
        ProgrammeRequirement.objects.create(
            programme=programme, stage=RENEWAL, kind=Kind.SESSIONS, minimum=Decimal(2)
        )
        CertificateFactory(holder=user, programme=programme, number=f"{code}-2026-00000{number}")
    request = rf.get("/")
    request.user = user
    # 1 certificates, 1 requirements, 1 categories, 1 programmes; per certificate 2 for CE hours
    # and 1 for sessions.
    with django_assert_max_num_queries(4 + 3 * 3):
        html = my_certificates_panel(request, [])
    assert html.count("Towards renewal") == 3
