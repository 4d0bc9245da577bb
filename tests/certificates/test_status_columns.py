"""The status rule's Python twin (`status_from_columns`) agrees with its SQL form (`status_case`,
what `with_status()` annotates) for every status, on the days where the dates decide it."""

import datetime

import pytest
from django.utils import timezone

from peerpath.certificates.models import Certificate
from peerpath.certificates.status import STATUS_COLUMNS, CertificateStatus, status_from_columns
from tests.factories import UserFactory

from .factories import CertificateFactory, certificate_in_status, make_programme

pytestmark = pytest.mark.django_db

D = datetime.date


def python_and_sql(today):
    rows = Certificate.objects.with_status(today).values("pk", "annotated_status", *STATUS_COLUMNS)
    return {row["pk"]: (status_from_columns(row, today), row["annotated_status"]) for row in rows}


@pytest.mark.parametrize("status", CertificateStatus.values)
def test_the_python_twin_agrees_with_the_sql_for_every_status(status, home_page):
    certificate = certificate_in_status(UserFactory(), make_programme(home_page), status)
    decided = python_and_sql(timezone.localdate())
    python, sql = decided[certificate.pk]
    assert python == sql == status
    assert all(python == sql for python, sql in decided.values())


@pytest.mark.parametrize(
    ("fields", "today"),
    [
        ({"expires_on": D(2026, 6, 1)}, D(2026, 5, 31)),
        ({"expires_on": D(2026, 6, 1)}, D(2026, 6, 1)),
        ({"expires_on": D(2026, 6, 1), "grace_ends_on": D(2026, 7, 1)}, D(2026, 6, 1)),
        ({"expires_on": D(2026, 6, 1), "grace_ends_on": D(2026, 7, 1)}, D(2026, 6, 30)),
        ({"expires_on": D(2026, 6, 1), "grace_ends_on": D(2026, 7, 1)}, D(2026, 7, 1)),
        ({"expires_on": None, "is_provisional": True}, D(2026, 6, 1)),
        ({"expires_on": D(2026, 6, 1), "is_provisional": True}, D(2026, 6, 2)),
        ({"expires_on": D(2026, 6, 1), "grace_ends_on": D(2026, 7, 1)}, D(2026, 6, 15)),
        (
            {
                "expires_on": D(2026, 6, 1),
                "suspended_at": timezone.now(),
                "suspension_reason": "Review",
            },
            D(2026, 8, 1),
        ),
        (
            {
                "relinquished_at": timezone.now(),
                "revoked_at": timezone.now(),
                "revocation_reason": "Misconduct",
            },
            D(2026, 6, 1),
        ),
    ],
)
def test_the_twin_agrees_at_the_date_boundaries_and_precedence(fields, today):
    certificate = CertificateFactory(holder=UserFactory(), **fields)
    python, sql = python_and_sql(today)[certificate.pk]
    assert python == sql
