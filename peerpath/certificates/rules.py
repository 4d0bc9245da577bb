"""The date rules of certification: how long a certificate runs, its grace period, and when it
may be renewed. Pure functions of a certificate's dates and status; issuing and renewal both ask
them, and nothing here writes.
"""

import calendar
import datetime

from django.utils import timezone

from .status import RENEWAL_WINDOW_DAYS, CertificateStatus


def add_months(day, months):
    """`day` plus a number of calendar months, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def grace_end(programme, expires_on):
    """The first day after the programme's grace period for a certificate expiring on
    `expires_on`; None when it never expires or the programme gives no grace."""
    days = getattr(programme, "grace_period_days", 0) or 0
    if expires_on is None or not days:
        return None
    return expires_on + datetime.timedelta(days=days)


def renewal_opens_on(certificate):
    """The first day a certificate in force may be renewed, or None if it never expires."""
    if certificate.expires_on is None:
        return None
    return certificate.expires_on - datetime.timedelta(days=RENEWAL_WINDOW_DAYS)


def is_renewable(certificate, today=None):
    """A learner who completes the programme again renews this certificate if it has lapsed or
    expired, is within `RENEWAL_WINDOW_DAYS` of expiring, or was relinquished. Revoked ones are
    never renewed or reissued: revocation is final. Suspended ones wait for reinstatement, and
    provisional ones for `confirm_full`."""
    today = today or timezone.localdate()
    status = certificate.status
    if status in (
        CertificateStatus.LAPSED,
        CertificateStatus.EXPIRED,
        CertificateStatus.RELINQUISHED,
    ):
        return True
    opens_on = renewal_opens_on(certificate)
    return status == CertificateStatus.VALID and opens_on is not None and opens_on <= today


def renewed_expiry(previous, programme, today):
    """The expiry date of the certificate that renews `previous` on `today`. Renewing early
    never costs the learner the time they had left."""
    if not programme.validity_months:
        return None
    start = today
    if previous.status == CertificateStatus.VALID and previous.expires_on:
        start = max(today, previous.expires_on)
    return add_months(start, programme.validity_months)
