"""A small hand-built world for the impact report: one quarter (April to June 2026) of
Riverside's sessions, bookings, roster, certificates, training and continuing education, with
things that must not count (cancelled and scheduled sessions, Northside's, non-members, other
programmes, the quarter before) beside them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from peerpath.meetings.choices import Role, SessionStatus
from peerpath.meetings.models import Debrief, FeedbackResponse, SignpostingCategory
from peerpath.training.models import ContinuingEducationActivity, Enrolment
from peerpath.training.models.requirements import ContinuingEducationCategory
from peerpath.workshops.choices import Format
from tests.certificates.factories import CertificateFactory
from tests.coordination.conftest import make_member
from tests.meetings.factories import make_booking, make_session, put_on_roster
from tests.workshops.factories import make_workshop

PERIOD_START = datetime.date(2026, 4, 1)
PERIOD_END = datetime.date(2026, 6, 30)


def at(day, hour=18):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def held(workshop, day, *, walk_ins=0, attendance=None, **fields):
    """A completed session on `day`; `attendance` as the register would count it."""
    session = make_session(workshop, starts_at=at(day), **fields)
    session.status = SessionStatus.COMPLETED
    session.walk_ins = walk_ins
    session.attendance_count = attendance
    session.completed_at = at(day, 20)
    session.save()
    return session


def came(session, **fields):
    return make_booking(session, attended=True, **fields)


def anonymised(session, *, returning):
    booking = make_booking(session, attended=True)
    type(booking).objects.filter(pk=booking.pk).update(
        first_name="",
        email="",
        phone="",
        user=None,
        anonymised_at=at(PERIOD_END),
        returning=returning,
    )
    return booking


def completed_enrolment(user, programme, day):
    enrolment = Enrolment.objects.create(user=user, programme=programme)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=at(day - datetime.timedelta(days=30)), completed_at=at(day)
    )
    return enrolment


def ce(user, day, hours, category):
    return ContinuingEducationActivity.objects.create(
        learner=user,
        title="Listening skills",
        provider="Mind",
        date=day,
        hours=Decimal(hours),
        category=category,
    )


def certificate(holder, programme, *, expires_on, grace_ends_on=None, issued_on=None):
    return CertificateFactory(
        holder=holder,
        programme=programme,
        expires_on=expires_on,
        grace_ends_on=grace_ends_on,
        issued_at=at(issued_on or datetime.date(2025, 1, 10)),
    )


def build_world(
    organisation, other_organisation, programme, other_programme, index_page, other_index_page
):
    """The world; returns a dict of what the tests look at. `programme` is run by
    `organisation`, `other_programme` is not."""
    programme.organisations.add(organisation)
    programme.save()  # a ParentalManyToManyField is written when the page is saved
    group = make_workshop(index_page, format=Format.SUPPORT_GROUP)
    course = make_workshop(index_page, format=Format.WORKSHOP)
    elsewhere = make_workshop(other_index_page, format=Format.SUPPORT_GROUP)

    # Certificates at the end of the quarter.
    valid = make_member(organisation, first_name="Vera", last_name="Valid")
    certificate(valid, programme, expires_on=datetime.date(2027, 6, 30))
    expiring = make_member(organisation, first_name="Ezra", last_name="Expiring")
    certificate(expiring, programme, expires_on=datetime.date(2026, 8, 1))
    lapsed = make_member(organisation, first_name="Lara", last_name="Lapsed")
    certificate(
        lapsed,
        programme,
        expires_on=datetime.date(2026, 6, 20),
        grace_ends_on=datetime.date(2026, 7, 20),
    )
    expired = make_member(organisation, first_name="Exa", last_name="Expired")
    certificate(
        expired,
        programme,
        expires_on=datetime.date(2026, 1, 1),
        grace_ends_on=datetime.date(2026, 2, 1),
    )
    late = make_member(organisation, first_name="Leo", last_name="Late")
    certificate(
        late, programme, expires_on=datetime.date(2028, 7, 5), issued_on=datetime.date(2026, 7, 5)
    )
    other_course = make_member(organisation, first_name="Otto", last_name="Other")
    certificate(other_course, other_programme, expires_on=datetime.date(2027, 6, 30))
    outsider = make_member(other_organisation, first_name="Nora", last_name="Northside")
    certificate(outsider, programme, expires_on=datetime.date(2027, 6, 30))

    # Sessions of the quarter.
    april = held(group, datetime.date(2026, 4, 10), walk_ins=1, attendance=4)
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        came(april, email=email)
    make_booking(april, email="no-show@example.org")
    may = held(course, datetime.date(2026, 5, 12), attendance=4)
    came(may, email="A@example.org")
    came(may, email="d@example.org")
    anonymised(may, returning=False)
    anonymised(may, returning=True)
    Debrief.objects.create(session=may, attendance=5, how_it_went="well", filed_by=valid)
    cancelled = make_session(group, starts_at=at(datetime.date(2026, 5, 20)))
    cancelled.status = SessionStatus.CANCELLED
    cancelled.cancellation_reason = "Venue closed"
    cancelled.save()
    make_session(group, starts_at=at(datetime.date(2026, 6, 1)))  # scheduled, never held
    held(elsewhere, datetime.date(2026, 5, 5), attendance=9)  # Northside's
    february = held(group, datetime.date(2026, 2, 10), attendance=2)  # the quarter before

    put_on_roster(april, valid, Role.LEAD)
    put_on_roster(april, expiring, Role.CO)
    put_on_roster(may, valid, Role.LEAD)
    put_on_roster(cancelled, lapsed, Role.LEAD)
    put_on_roster(february, expired, Role.LEAD)

    housing = SignpostingCategory.objects.create(organisation=organisation, name="Housing")
    Debrief.objects.create(session=april, attendance=4, how_it_went="well", filed_by=valid)
    for session in (april, may):
        session.debrief.signposting.add(housing)
    for score in (4, 5, 5, 3):
        FeedbackResponse.objects.create(
            session=may,
            felt_safe=score,
            felt_heard=score,
            would_return=score,
            submitted_on=datetime.date(2026, 5, 13),
        )

    # Training and continuing education.
    completed_enrolment(valid, programme, datetime.date(2026, 5, 1))
    completed_enrolment(expiring, programme, datetime.date(2026, 6, 30))
    completed_enrolment(lapsed, programme, datetime.date(2026, 3, 31))  # the quarter before
    completed_enrolment(outsider, programme, datetime.date(2026, 5, 1))  # not a member
    category, _created = ContinuingEducationCategory.objects.get_or_create(name="Courses")
    ce(valid, datetime.date(2026, 5, 5), "2.5", category)
    ce(expiring, datetime.date(2026, 6, 1), "1.0", category)
    ce(valid, datetime.date(2026, 3, 1), "3.0", category)  # the quarter before
    ce(outsider, datetime.date(2026, 5, 5), "4.0", category)  # not a member

    return {
        "group": group,
        "course": course,
        "april": april,
        "may": may,
        "housing": housing,
        "valid": valid,
        "expiring": expiring,
        "lapsed": lapsed,
    }
