"""What a certificate means today, decided in one place from the row's own columns.

A certificate's status is never stored: it follows from when it was revoked, relinquished,
superseded (replaced by a renewal, reissue or full certificate: `superseded_at`, set when the
replacement is issued) or suspended, and from its dates. `status_conditions()` states the rule
once, as one condition per status in order of precedence; `status_case()` is the same rule as a
single SQL expression (what `CertificateQuerySet.with_status()` annotates, and what any query that
shows or filters by status uses). Both are plain ORM expressions on the row, so a page that needs
the status of one certificate costs one indexed query.
"""

import datetime

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: A certificate in force this close to its expiry date is "expiring": its holder may renew it
#: (completing the programme again, or meeting its renewal requirements), the first reminder
#: e-mail goes out, and the admin counts it as expiring.
RENEWAL_WINDOW_DAYS = 60


class CertificateStatus(models.TextChoices):
    """What a certificate means today. Order of precedence: the first that applies wins."""

    REVOKED = "revoked", _("Revoked")
    RELINQUISHED = "relinquished", _("No longer held")
    SUPERSEDED = "superseded", _("Replaced")
    SUSPENDED = "suspended", _("Suspended")
    EXPIRED = "expired", _("Expired")
    LAPSED = "lapsed", _("Lapsed")
    PROVISIONAL = "provisional", _("Provisional")
    VALID = "valid", _("Valid")

    @classmethod
    def practising(cls):
        """The statuses that let a holder practise (and open facilitator-only material)."""
        return frozenset({cls.VALID, cls.PROVISIONAL})


def _own_conditions(today):
    """Each status's own test, in order of precedence (a later one applies only when no earlier
    one does). A suspension outranks the dates so that verifiers learn of it even after expiry.
    From `expires_on` a certificate is lapsed until `grace_ends_on` (renewable, not valid for
    practice), then expired; without a grace period it expires at once."""
    past_expiry = Q(expires_on__lte=today)
    return [
        (CertificateStatus.REVOKED, Q(revoked_at__isnull=False)),
        (CertificateStatus.RELINQUISHED, Q(relinquished_at__isnull=False)),
        (CertificateStatus.SUPERSEDED, Q(superseded_at__isnull=False)),
        (CertificateStatus.SUSPENDED, Q(suspended_at__isnull=False)),
        (CertificateStatus.LAPSED, past_expiry & Q(grace_ends_on__gt=today)),
        (CertificateStatus.EXPIRED, past_expiry),
        (CertificateStatus.PROVISIONAL, Q(is_provisional=True)),
        (CertificateStatus.VALID, Q()),
    ]


def status_conditions(today=None):
    """`CertificateStatus` → the condition a certificate row meets when it has that status on
    `today` (default: today). The conditions are mutually exclusive and cover every row.

    Precedence: revoked > relinquished > superseded > suspended > lapsed / expired >
    provisional > valid.
    """
    today = today or timezone.localdate()
    conditions, earlier = {}, Q()
    for status, own in _own_conditions(today):
        conditions[status] = earlier & own
        earlier &= ~own
    return conditions


def status_case(today=None):
    """The status on `today` as one SQL expression (a `CertificateStatus` value)."""
    today = today or timezone.localdate()
    *cases, (last, _condition) = _own_conditions(today)
    return Case(
        *(When(condition, then=Value(status.value)) for status, condition in cases),
        default=Value(last.value),
        output_field=models.CharField(),
    )


def expiring_condition(today=None, days=RENEWAL_WINDOW_DAYS):
    """Certificates in force (valid) whose expiry date falls within `days` days of `today`."""
    today = today or timezone.localdate()
    return status_conditions(today)[CertificateStatus.VALID] & Q(
        expires_on__isnull=False, expires_on__lte=today + datetime.timedelta(days=days)
    )


#: The certificate columns the status is decided from (what `status_from_columns` reads).
STATUS_COLUMNS = (
    "revoked_at",
    "relinquished_at",
    "superseded_at",
    "suspended_at",
    "expires_on",
    "grace_ends_on",
    "is_provisional",
)


def _own_tests(today):
    """`_own_conditions` in Python, test for test and in the same order, for a row already read:
    each status's own test on a mapping of `STATUS_COLUMNS` to their values. Kept beside the SQL
    conditions so that a change to one is a change to both (tests/certificates/test_status*.py
    proves they agree for every status)."""

    def past_expiry(row):
        return row["expires_on"] is not None and row["expires_on"] <= today

    return [
        (CertificateStatus.REVOKED, lambda row: row["revoked_at"] is not None),
        (CertificateStatus.RELINQUISHED, lambda row: row["relinquished_at"] is not None),
        (CertificateStatus.SUPERSEDED, lambda row: row["superseded_at"] is not None),
        (CertificateStatus.SUSPENDED, lambda row: row["suspended_at"] is not None),
        (
            CertificateStatus.LAPSED,
            lambda row: (
                past_expiry(row)
                and row["grace_ends_on"] is not None
                and row["grace_ends_on"] > today
            ),
        ),
        (CertificateStatus.EXPIRED, past_expiry),
        (CertificateStatus.PROVISIONAL, lambda row: bool(row["is_provisional"])),
        (CertificateStatus.VALID, lambda row: True),
    ]


def status_from_columns(row, today=None):
    """The status on `today` (default: today) of a certificate row already read, from its own
    columns (`row` maps each of `STATUS_COLUMNS` to its value): the rule of `status_case()`,
    applied in Python, so a page that has the row needs no SQL expression for its status."""
    today = today or timezone.localdate()
    return next(status for status, test in _own_tests(today) if test(row))
