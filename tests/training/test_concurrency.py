"""Two final submissions at the same moment complete the programme once and announce it once.

These run on PostgreSQL with real threads and real commits; `serialized_rollback` restores the
Wagtail root page that migrations create, which flushing after a transactional test removes.
"""

import threading

import pytest

from peerpath.training import progress
from peerpath.training.models import Attestation, CheckAttempt, Enrolment
from peerpath.training.signals import programme_completed
from tests.concurrency import run_together
from tests.training.factories import answers_for


@pytest.fixture
def announcements():
    received = []
    lock = threading.Lock()

    def receiver(sender, **kwargs):
        with lock:
            received.append(kwargs["enrolment"].pk)

    programme_completed.connect(receiver, weak=False)
    yield received
    programme_completed.disconnect(receiver)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_agreements_complete_once(
    user, programme, reading_module, check_module, announcements
):
    enrolment, _created = progress.enrol(user, programme)
    progress.mark_module_complete(user, reading_module)
    progress.submit_check(user, check_module, answers_for(check_module), 1)
    version = programme.code_of_conduct_versions.get().pk

    outcomes = run_together(
        lambda: progress.agree_to_code_of_conduct(user, programme, version),
        lambda: progress.agree_to_code_of_conduct(user, programme, version),
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(completed for _attestation, completed in outcomes) == [False, True]
    assert Attestation.objects.filter(user=user).count() == 1
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None
    assert announcements == [enrolment.pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_final_check_submitted_twice_at_once_counts_and_completes_once(
    user, programme, reading_module, check_module, announcements
):
    enrolment, _created = progress.enrol(user, programme)
    progress.mark_module_complete(user, reading_module)
    progress.agree_to_code_of_conduct(user, programme, programme.code_of_conduct_versions.get().pk)
    answers = answers_for(check_module)

    outcomes = run_together(
        lambda: progress.submit_check(user, check_module, answers, 1),
        lambda: progress.submit_check(user, check_module, answers, 1),
    )

    results = [o for o in outcomes if isinstance(o, progress.CheckResult)]
    refused = [o for o in outcomes if isinstance(o, progress.StaleSubmission)]
    assert len(results) == 1 and len(refused) == 1, outcomes
    assert results[0].programme_completed
    assert CheckAttempt.objects.filter(user=user, module=check_module).count() == 1
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None
    assert announcements == [enrolment.pk]
