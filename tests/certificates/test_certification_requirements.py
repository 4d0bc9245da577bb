"""Every kind of certification requirement, counted over a period, and full certification that
waits for requirements other than supervised hours."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from peerpath.certificates.models import Certificate, CertificateStatus
from peerpath.training import requirements
from peerpath.training.models import (
    ContinuingEducationActivity,
    Enrolment,
    ModulePage,
    ModuleProgress,
    ProgrammeRequirement,
)
from peerpath.training.requirements import Period
from peerpath.workshops.choices import Confirmation, LogRole
from peerpath.workshops.models import FacilitationLogEntry
from tests.certificates.factories import certificate_in_status, make_programme

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = ProgrammeRequirement.Kind
Stage = ProgrammeRequirement.Stage
Role = ProgrammeRequirement.SessionRole


@pytest.fixture
def programme(home_page):
    return make_programme(home_page, code="RULE")


def requirement(programme, kind, minimum, stage=Stage.RENEWAL, **fields):
    return ProgrammeRequirement.objects.create(
        programme=programme, stage=stage, kind=kind, minimum=Decimal(minimum), **fields
    )


def activity(user, category, hours, day):
    return ContinuingEducationActivity.objects.create(
        learner=user,
        title="Boundaries refresher",
        provider="Regional peer network",
        date=day,
        hours=Decimal(hours),
        category=category,
    )


def session(user, day, role=LogRole.LEAD, confirmation=Confirmation.SELF_REPORTED):
    """A log entry: self-reported unless `confirmation` says otherwise (e.g. confirmed)."""
    return FacilitationLogEntry.objects.create(
        facilitator=user,
        workshop=None,
        workshop_title="Wellbeing circle",
        date=day,
        minutes=90,
        participants=6,
        co_facilitator="Experienced facilitator" if role == LogRole.CO else "",
        role=role,
        confirmation=confirmation,
    )


def confirmed(user, day, role=LogRole.LEAD):
    return session(user, day, role, Confirmation.CONFIRMED)


def measured(user, programme, period=requirements.EVER, stage=Stage.RENEWAL):
    found = requirements.requirements_of([programme.pk], stage).get(programme.pk, [])
    return [
        (item.done, item.is_met)
        for item in requirements.measure(user.pk, programme.pk, found, period)
    ]


def test_ce_hours_count_in_total_and_per_category(user, programme, ethics, recovery):
    requirement(programme, Kind.CE_HOURS, "6")
    requirement(programme, Kind.CE_HOURS, "3", category=ethics)
    requirement(programme, Kind.CE_HOURS, "2", category=recovery)
    activity(user, ethics, "2", D(2026, 3, 1))
    activity(user, recovery, "2.5", D(2026, 3, 2))
    assert measured(user, programme) == [
        (Decimal("4.5"), False),
        (Decimal("2"), False),
        (Decimal("2.5"), True),
    ]
    activity(user, ethics, "1.5", D(2026, 3, 3))
    assert measured(user, programme) == [
        (Decimal("6.0"), True),
        (Decimal("3.5"), True),
        (Decimal("2.5"), True),
    ]


def test_ce_period_boundaries_start_inclusive_end_exclusive(user, programme, ethics):
    requirement(programme, Kind.CE_HOURS, "1")
    activity(user, ethics, "1", D(2026, 2, 28))  # the day before
    activity(user, ethics, "2", D(2026, 3, 1))  # first day
    activity(user, ethics, "4", D(2027, 2, 28))  # last day
    activity(user, ethics, "8", D(2027, 3, 1))  # end (excluded)
    period = Period(D(2026, 3, 1), D(2027, 3, 1))
    assert measured(user, programme, period) == [(Decimal("6"), True)]


def test_other_learners_hours_never_count(user, other_user, programme, ethics):
    requirement(programme, Kind.CE_HOURS, "1")
    activity(other_user, ethics, "5", D(2026, 3, 1))
    assert measured(user, programme) == [(Decimal("0"), False)]


def test_a_refresher_module_counts_its_time_as_ce_hours_in_its_category(
    user, programme, ethics, django_capture_on_commit_callbacks
):
    requirement(programme, Kind.CE_HOURS, "1", category=ethics)
    module = ModulePage(
        title="Ethics refresher",
        slug="ethics-refresher",
        summary="A short refresher.",
        estimated_minutes=90,
        is_required=False,
        ce_category=ethics,
    )
    programme.add_child(instance=module)
    enrolment = Enrolment.objects.create(user=user, programme=programme)
    with freeze_time("2026-05-05 10:00"):
        ModuleProgress.objects.create(
            user=user, module=module, enrolment=enrolment, completed_at=timezone.now()
        )
    assert measured(user, programme) == [(Decimal("1.5"), True)]
    assert measured(user, programme, Period(start=D(2026, 5, 6))) == [(Decimal("0"), False)]


@pytest.mark.parametrize(
    ("role", "expected"), [(Role.ANY, 3), (Role.LED, 2), (Role.CO_FACILITATED, 1)]
)
def test_sessions_count_by_role(user, programme, role, expected):
    requirement(programme, Kind.SESSIONS, "2", session_role=role, count_self_reported=True)
    session(user, D(2026, 4, 1))
    confirmed(user, D(2026, 4, 8))
    session(user, D(2026, 4, 15), role=LogRole.CO)
    assert measured(user, programme) == [(Decimal(expected), expected >= 2)]


def test_sessions_count_when_confirmed_and_self_reported_only_where_allowed(user, programme):
    requirement(programme, Kind.SESSIONS, "2")
    requirement(programme, Kind.SESSIONS, "2", count_self_reported=True)
    session(user, D(2026, 4, 1))
    session(user, D(2026, 4, 2), confirmation=Confirmation.AWAITING)
    session(user, D(2026, 4, 3), confirmation=Confirmation.QUERIED)
    assert measured(user, programme) == [(Decimal(0), False), (Decimal(1), False)]
    confirmed(user, D(2026, 4, 4))
    assert measured(user, programme) == [(Decimal(1), False), (Decimal(2), True)]


def test_sessions_count_only_within_the_period(user, programme):
    requirement(programme, Kind.SESSIONS, "1")
    confirmed(user, D(2026, 3, 31))
    assert measured(user, programme, Period(D(2026, 4, 1))) == [(Decimal(0), False)]
    confirmed(user, D(2026, 4, 1))
    assert measured(user, programme, Period(D(2026, 4, 1))) == [(Decimal(1), True)]


def test_each_kind_costs_one_query_at_most_two_for_ce(
    user, programme, ethics, django_assert_num_queries
):
    requirement(programme, Kind.CE_HOURS, "1")
    requirement(programme, Kind.CE_HOURS, "1", category=ethics)
    requirement(programme, Kind.SESSIONS, "1")
    requirement(programme, Kind.SUPERVISED_HOURS, "1")
    found = requirements.requirements_of([programme.pk], Stage.RENEWAL)[programme.pk]
    with django_assert_num_queries(4):
        requirements.measure(user.pk, programme.pk, found)


def test_requirement_rules_are_validated(programme, ethics):
    with pytest.raises(ValidationError, match="category"):
        ProgrammeRequirement(
            programme=programme, kind=Kind.SESSIONS, minimum=Decimal(3), category=ethics
        ).full_clean()
    with pytest.raises(ValidationError, match="whole number"):
        ProgrammeRequirement(
            programme=programme, kind=Kind.SESSIONS, minimum=Decimal("2.5")
        ).full_clean()


def test_descriptions_say_the_rule_in_words(programme, ethics):
    assert (
        requirement(programme, Kind.SESSIONS, "3", session_role=Role.CO_FACILITATED).description
        == "3 sessions co-facilitated, confirmed in your facilitation record"
    )
    assert (
        requirement(
            programme, Kind.SESSIONS, "1", session_role=Role.LED, count_self_reported=True
        ).description
        == "1 session led as the lead facilitator, confirmed or self-reported in your "
        "facilitation record"
    )
    assert (
        requirement(programme, Kind.CE_HOURS, "3", category=ethics).description
        == "at least 3 continuing-education hours in Ethics"
    )
    assert (
        requirement(programme, Kind.SUPERVISED_HOURS, "250").description
        == "250 hours of supervised practice, signed off by your supervisor"
    )


# Full certification with requirements other than supervised hours.


@pytest.fixture
def co_facilitation(home_page):
    """Modelled on WRAP: co-facilitate 3 sessions before facilitating alone."""
    programme = make_programme(home_page, code="COFAC", provisional_validity_months=6)
    requirement(programme, Kind.SESSIONS, "3", stage=Stage.FULL, session_role=Role.CO_FACILITATED)
    return programme


def test_co_facilitated_sessions_turn_a_provisional_certificate_full(
    user, co_facilitation, issue, django_capture_on_commit_callbacks
):
    Enrolment.objects.create(user=user, programme=co_facilitation)
    provisional = issue(user, co_facilitation)
    assert provisional.status == CertificateStatus.PROVISIONAL
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed(user, today, role=LogRole.CO)
        confirmed(user, today)  # led: does not count
        session(user, today, role=LogRole.CO)  # self-reported: does not count here
        confirmed(user, today, role=LogRole.CO)
    assert not Certificate.objects.filter(supersedes=provisional).exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed(user, today, role=LogRole.CO)
    full = Certificate.objects.with_status().get(supersedes=provisional)
    assert full.status == CertificateStatus.VALID


@pytest.fixture
def unstaged(home_page, ethics):
    """No provisional stage: the certificate waits for the full-certification requirements."""
    programme = make_programme(home_page, code="WAIT")
    requirement(programme, Kind.CE_HOURS, "2", stage=Stage.FULL, category=ethics)
    return programme


def test_without_a_provisional_stage_the_certificate_waits_for_the_requirements(
    user, unstaged, ethics, issue, django_capture_on_commit_callbacks
):
    enrolment = Enrolment.objects.create(user=user, programme=unstaged)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    assert issue(user, unstaged, timezone.now()) is None
    assert not Certificate.objects.filter(holder=user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        activity(user, ethics, "2", timezone.localdate())
    certificate = Certificate.objects.with_status().get(holder=user)
    assert certificate.status == CertificateStatus.VALID
    # Announcing again issues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        activity(user, ethics, "1", timezone.localdate())
    assert Certificate.objects.filter(holder=user).count() == 1


def test_meeting_requirements_before_completing_issues_nothing_early(
    user, unstaged, ethics, django_capture_on_commit_callbacks
):
    Enrolment.objects.create(user=user, programme=unstaged)
    with django_capture_on_commit_callbacks(execute=True):
        activity(user, ethics, "2", timezone.localdate())
    assert not Certificate.objects.filter(holder=user).exists()


def test_a_holder_who_is_not_provisional_is_left_alone(
    user, co_facilitation, django_capture_on_commit_callbacks
):
    Enrolment.objects.create(user=user, programme=co_facilitation)
    valid = certificate_in_status(user, co_facilitation, "valid")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            confirmed(user, timezone.localdate(), role=LogRole.CO)
    assert not Certificate.objects.filter(supersedes=valid).exists()


def test_programme_page_explains_the_rules_and_shows_progress(
    client, user, co_facilitation, ethics
):
    co_facilitation.check_window_days = 365
    co_facilitation.grace_period_days = 30
    co_facilitation.save_revision().publish()
    requirement(co_facilitation, Kind.CE_HOURS, "20")
    requirement(co_facilitation, Kind.CE_HOURS, "3", category=ethics)
    html = client.get(co_facilitation.url).content.decode()
    assert "How certification works" in html
    assert "within 365 days of enrolling" in html
    assert "provisional certificate</strong>, valid for 6 months" in html
    assert "3 sessions co-facilitated, confirmed in your facilitation record" in html
    assert "at least 3 continuing-education hours in Ethics" in html
    assert "Extra hours do not carry over" in html
    assert "Your progress towards full certification" not in html
    Enrolment.objects.create(user=user, programme=co_facilitation)
    confirmed(user, timezone.localdate(), role=LogRole.CO)
    session(user, timezone.localdate(), role=LogRole.CO)  # self-reported: not counted here
    client.force_login(user)
    html = client.get(co_facilitation.url).content.decode()
    assert "Your progress towards full certification" in html
    assert "Sessions co-facilitated: 1 of 3 sessions" in html


def test_a_completed_refresher_module_releases_a_waiting_certificate(
    user, unstaged, ethics, django_capture_on_commit_callbacks
):
    from peerpath.training import progress

    refresher = ModulePage(
        title="Ethics refresher",
        slug="ethics-refresher",
        summary="A short refresher.",
        estimated_minutes=120,
        is_required=False,
        ce_category=ethics,
    )
    unstaged.add_child(instance=refresher)
    enrolment = Enrolment.objects.create(user=user, programme=unstaged)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        progress.mark_module_complete(user, ModulePage.objects.get(pk=refresher.pk))
    assert Certificate.objects.with_status().get(holder=user).status == CertificateStatus.VALID


def test_full_certification_progress_costs_the_same_for_one_programme_or_three(
    user, home_page, ethics, django_assert_num_queries
):
    programmes = []
    for code in ["PA", "PB", "PC"]:
        programme = make_programme(home_page, code=code, provisional_validity_months=6)
        requirement(programme, Kind.CE_HOURS, "2", stage=Stage.FULL, category=ethics)
        requirement(programme, Kind.SESSIONS, "3", stage=Stage.FULL)
        requirement(programme, Kind.SUPERVISED_HOURS, "10", stage=Stage.FULL)
        programmes.append(programme.pk)
    # The requirements, CE activities, refresher modules, sessions, supervised hours.
    with django_assert_num_queries(5):
        progress = requirements.full_certification_progress(user.pk, programmes)
    assert len(progress) == 3
    with django_assert_num_queries(5):
        requirements.full_certification_progress(user.pk, programmes[:1])


def test_restarting_keeps_completed_refresher_modules(user, home_page, ethics):
    from peerpath.training import progress
    from tests.training.factories import build_module, question

    programme = make_programme(home_page, code="RSTR", check_window_days=30)
    refresher = build_module(
        programme, title="Ethics refresher", is_required=False, ce_category=ethics
    )
    check = build_module(programme, title="Check", questions=[question()])
    with freeze_time("2026-01-01 09:00"):
        Enrolment.objects.create(user=user, programme=programme)
        progress.mark_module_complete(user, refresher)
        progress.record_module_started(user, check)
    with freeze_time("2026-03-01 09:00"):  # the window closed with the check unpassed
        progress.restart(user, programme)
    assert ModuleProgress.objects.filter(
        user=user, module=refresher, completed_at__isnull=False
    ).exists()
    assert not ModuleProgress.objects.filter(user=user, module=check).exists()


def test_one_hour_is_singular(user, programme, ethics):
    rule = requirement(programme, Kind.CE_HOURS, "1", category=ethics)
    assert rule.description == "at least 1 continuing-education hour in Ethics"
    activity(user, ethics, "1", D(2026, 3, 1))
    (item,) = requirements.measure(user.pk, programme.pk, [rule])
    assert item.summary == "1 of 1 hour"
