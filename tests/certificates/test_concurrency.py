"""Simultaneous completions on a real PostgreSQL server: one certificate, numbers never repeat."""

import pytest

from peerpath.certificates.issuing import issue_for_completion
from peerpath.certificates.models import Certificate
from peerpath.training.signals import programme_completed
from tests.concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_simultaneous_completions_issue_one_certificate(user, programme):
    def complete():
        return programme_completed.send(
            sender=type(programme),
            enrolment=None,
            user=user,
            programme=programme,
            completed_at=None,
        )

    outcomes = run_together(complete, complete, complete)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Certificate.objects.filter(holder=user, programme=programme).count() == 1
    issued = {response[1].pk for outcome in outcomes for response in outcome if response[1]}
    assert len(issued) == 1


def test_simultaneous_issues_for_different_learners_get_distinct_sequential_numbers(programme):
    from tests.factories import UserFactory

    learners = [UserFactory() for _ in range(4)]
    outcomes = run_together(*[lambda u=u: issue_for_completion(u, programme) for u in learners])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == [1, 2, 3, 4]
