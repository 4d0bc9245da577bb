"""Feedback answers racing each other on a real PostgreSQL server: real threads, each with its own
connection and its own commits, released at the same moment (`tests.concurrency.run_together`).

A link's invitation is deleted in the transaction that stores its answer, and only the request
whose DELETE removed the row stores anything; walk-in answers are counted with a conditional
UPDATE. So however the threads interleave, one link gives one answer and a session's code never
takes more answers than there were walk-ins. On SQLite these are skipped, as in test_races.py.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from peerpath.meetings import attendance, feedback
from peerpath.meetings.feedback import FeedbackRefused
from peerpath.meetings.models import FeedbackInvitation, FeedbackResponse, Session
from tests.concurrency import run_together

from .factories import make_booking, make_session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCORES = {"felt_safe": 4, "felt_heard": 5, "would_return": 3}


@pytest.fixture
def ended(workshop):
    return make_session(workshop, starts_at=timezone.now() - datetime.timedelta(hours=2))


def test_one_link_answered_ten_times_at_once_stores_one_answer(ended):
    booking = make_booking(ended, email="ana@example.org")
    attendance.mark_attendance(ended, [booking.pk], 0)
    attendance.complete_session(ended)  # a committed transaction: the links go out at once
    (token,) = re.findall(r"/groups/feedback/([^/\s]+)/", mail.outbox[0].body)

    outcomes = run_together(*[lambda: feedback.submit(token, **SCORES) for _ in range(10)])

    stored = [outcome for outcome in outcomes if isinstance(outcome, FeedbackResponse)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, FeedbackRefused)]
    assert len(stored) == 1 and len(refused) == 9
    assert {refusal.code for refusal in refused} == {"used"}
    assert FeedbackResponse.objects.count() == 1
    assert not FeedbackInvitation.objects.exists()


def test_the_walk_in_code_never_takes_more_answers_than_walk_ins(ended):
    attendance.mark_attendance(ended, [], 3)
    attendance.complete_session(ended)
    code = ended.feedback_code

    outcomes = run_together(
        *[lambda: feedback.submit_with_code(ended, code, **SCORES) for _ in range(10)]
    )

    stored = [outcome for outcome in outcomes if isinstance(outcome, FeedbackResponse)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, FeedbackRefused)]
    assert len(stored) == 3 and len(refused) == 7
    assert {refusal.code for refusal in refused} == {"full"}
    assert FeedbackResponse.objects.filter(session=ended).count() == 3
    assert Session.objects.get(pk=ended.pk).walk_in_feedback_count == 3


def test_asking_for_feedback_five_times_at_once_sends_each_link_once(ended):
    came = [make_booking(ended) for _ in range(3)]
    attendance.mark_attendance(ended, [booking.pk for booking in came], 0)
    attendance.complete_session(ended)
    # As if the completion's job had not run yet: five workers pick it up at once.
    Session.objects.filter(pk=ended.pk).update(feedback_requested_at=None)
    FeedbackInvitation.objects.all().delete()
    mail.outbox.clear()

    outcomes = run_together(*[lambda: feedback.request_feedback.call(ended.pk) for _ in range(5)])

    assert sorted(outcomes) == [0, 0, 0, 0, 3]
    assert len(mail.outbox) == 3
    assert FeedbackInvitation.objects.filter(session=ended).count() == 3
