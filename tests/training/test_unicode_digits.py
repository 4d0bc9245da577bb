"""Digits that are not ASCII ('²', '٣') are not attempt numbers: a clear refusal, never a 500.
Found by the fuzz tests (tests/security/test_fuzz.py)."""

import pytest

from peerpath.training import progress

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["²", "٣", "1²", "①"])
def test_non_ascii_digits_are_invalid_attempt_numbers(value):
    with pytest.raises(progress.InvalidAnswers):
        progress.parse_attempt_number(value)


def test_module_page_ignores_a_non_ascii_attempt_number(client, user, enrolled, check_module):
    client.force_login(user)
    response = client.get(check_module.url, {"attempt": "²"})
    assert response.status_code == 200


def test_submitting_a_check_with_a_non_ascii_attempt_number_changes_nothing(
    client, user, enrolled, check_module
):
    from django.urls import reverse

    from peerpath.training.models import CheckAttempt

    client.force_login(user)
    response = client.post(
        reverse("training:submit_check", args=[check_module.pk]), {"attempt": "²"}
    )
    assert 400 <= response.status_code < 500
    assert not CheckAttempt.objects.exists()
