"""One small site with someone in every role, shared by the access matrix and the fuzz tests.

Roles: a learner enrolled in a programme, another learner (not enrolled), a certified facilitator
(with a certificate and a workshop their certificate unlocks), the editors of two organisations,
staff who may erase personal data, and a superuser. The learner has logged a continuing-education
activity with an evidence file.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from peerpath.certificates.models import Certificate
from peerpath.meetings import booking as booking_service
from peerpath.meetings import debriefs, feedback
from peerpath.meetings.choices import BookingStatus, HowItWent
from peerpath.meetings.links import booking_token
from peerpath.meetings.models import Booking, FeedbackInvitation, FeedbackResponse
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.setup import add_editor
from peerpath.training import progress
from tests.certificates.factories import CertificateFactory
from tests.factories import ContinuingEducationActivityFactory, UserFactory
from tests.meetings.factories import make_session, put_on_roster
from tests.training.factories import build_index, build_module, build_programme, question
from tests.workshops.factories import (
    LogEntryFactory,
    OrganisationFactory,
    make_document,
    make_workshop,
)

MODULE_BODY = "Only enrolled learners read this sentence."


@dataclass
class World:
    home: object
    programme: object
    reading_module: object
    check_module: object
    learner: object
    other_learner: object
    facilitator: object
    editor: object
    other_editor: object
    eraser: object
    admin: object
    certificate: Certificate
    organisation: object
    other_organisation: object
    workshop: object
    other_workshop: object
    facilitator_document: object
    log_entry: object
    ce_activity: object
    session: object  # Riverside's online session: the facilitator leads, the learner booked
    other_session: object  # Northside's
    past_session: object  # Riverside's, three days ago: completed, debriefed with a concern
    concern: object
    record_entry: object  # the facilitator's lead entry from the past session, awaiting
    feedback_token: str  # the signed one-time feedback link's token for the past session
    feedback_comment: object  # a response with a comment, on the past session
    booking_token: str  # the learner's signed booking link

    JOINING_LINK = "https://meet.example/riverside-private-room"

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)


def build_world(home):
    index = build_index(home)
    programme = build_programme(index, title="Peer Support Foundations")
    reading = build_module(
        programme,
        title="Listening well",
        body=[{"type": "text", "id": "b1", "value": f"<p>{MODULE_BODY}</p>"}],
    )
    check = build_module(
        programme, title="Safety check", questions=[question("Is it safe?"), question("Why?")]
    )
    learner = UserFactory(email="learner@example.org")
    progress.enrol(learner, programme)
    other_learner = UserFactory(email="other.learner@example.org")
    facilitator = UserFactory(email="facilitator@example.org")
    certificate = CertificateFactory(holder=facilitator, programme=programme)

    organisation = OrganisationFactory(name="Riverside Peer Support", slug="riverside")
    other_organisation = OrganisationFactory(name="Northside Collective", slug="northside")
    editor = UserFactory(email="editor@riverside.example")
    add_editor(organisation, editor)
    other_editor = UserFactory(email="editor@northside.example")
    add_editor(other_organisation, other_editor)
    facilitator_document = make_document(
        "Warning signs checklist",
        collection=organisation.facilitator_collection,
        content=b"Facilitator only",
    )
    workshop = make_workshop(
        organisation.index_page,
        programme=programme,
        title="Weekly peer support group",
        facilitator_documents=[facilitator_document],
    )
    other_workshop = make_workshop(
        other_organisation.index_page, programme=programme, title="Northside walking group"
    )
    log_entry = LogEntryFactory(
        facilitator=facilitator, workshop=workshop, workshop_title=workshop.title
    )

    data_protection = Group.objects.create(name="Data protection")
    data_protection.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="erase_personal_data"),
    )
    eraser = UserFactory(email="dpo@example.org", is_staff=True)
    eraser.groups.add(data_protection)
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    ce_activity = ContinuingEducationActivityFactory(learner=learner, with_evidence=True)

    OrganisationMembership.objects.create(user=facilitator, organisation=organisation)
    session = make_session(workshop, mode="online", joining_link=World.JOINING_LINK)
    put_on_roster(session, facilitator)
    other_session = make_session(other_workshop)
    booking = booking_service.book(session, user=learner)
    past_session, concern, record_entry, token, comment = after_a_session(
        workshop, facilitator, other_learner
    )
    return World(
        home=home,
        programme=programme,
        reading_module=reading,
        check_module=check,
        learner=learner,
        other_learner=other_learner,
        facilitator=facilitator,
        editor=editor,
        other_editor=other_editor,
        eraser=eraser,
        admin=admin,
        certificate=certificate,
        organisation=organisation,
        other_organisation=other_organisation,
        workshop=workshop,
        other_workshop=other_workshop,
        facilitator_document=facilitator_document,
        log_entry=log_entry,
        ce_activity=ce_activity,
        session=session,
        other_session=other_session,
        booking_token=booking_token(booking),
        past_session=past_session,
        concern=concern,
        record_entry=record_entry,
        feedback_token=token,
        feedback_comment=comment,
    )


def after_a_session(workshop, facilitator, participant):
    """A session three days ago that `participant` came to: completed and debriefed by its lead
    `facilitator` with a safeguarding concern, with an unused feedback link and one answer."""
    now = timezone.now()
    past = make_session(workshop, starts_at=now - datetime.timedelta(days=3))
    put_on_roster(past, facilitator)
    Booking.objects.create(
        session=past, user=participant, status=BookingStatus.CONFIRMED, attended=True
    )
    debrief = debriefs.file_debrief(
        past,
        facilitator,
        attendance=1,
        how_it_went=HowItWent.MIXED,
        notes="",
        signposting=[],
        fidelity=[],
        concern_summary="Someone spoke of not feeling safe at home.",
    )
    token = "a-world-feedback-token"
    FeedbackInvitation.objects.create(
        session=past,
        token_hash=feedback.token_hash(token),
        expires_at=now + datetime.timedelta(days=7),
    )
    comment = FeedbackResponse.objects.create(
        session=past,
        felt_safe=4,
        felt_heard=5,
        would_return=5,
        comment="The group helped.",
        submitted_on=timezone.localdate(),
    )
    entry = past.records.get(facilitator=facilitator).entry
    return past, debrief.safeguarding, entry, feedback.signer().sign(token), comment


@contextlib.contextmanager
def shared_world(django_db_blocker):
    """Build the world once for a whole test module, and roll it all back afterwards.

    The world lives in a transaction left open for the module; every test's own transaction
    (pytest-django's `db`) nests inside it as a savepoint, so tests still cannot see each other's
    changes. Building it once instead of per test keeps the matrix and the fuzz tests fast.
    """
    from home.demo import ensure_home_page

    with django_db_blocker.unblock():
        cache.clear()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world(ensure_home_page())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()
