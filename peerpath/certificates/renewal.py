"""Progress towards renewing a certificate whose programme sets renewal requirements (continuing
education by category, sessions facilitated, supervised hours), and what is still missing.

The counting lives in `training.requirements`; this module decides which records count for which
certificate: everything the holder did from the day the certificate was issued. Extra
continuing-education hours do not carry over into the next period unless the programme sets
`ce_carry_over_hours`. Renewing (`issuing.renew_as_holder`) is allowed once every requirement is
met, from `status.RENEWAL_WINDOW_DAYS` before expiry until the end of the grace period.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.training.models import (
    ContinuingEducationCategory,
    ProgrammePage,
    ProgrammeRequirement,
)
from peerpath.training.requirements import (
    ZERO,
    Kind,
    Period,
    ce_hours_by_category,
    measure,
    requirements_of,
)

from .rules import is_renewable, renewal_opens_on
from .status import CertificateStatus

Stage = ProgrammeRequirement.Stage

#: Statuses whose holder works towards renewal: in force, or lapsed and still renewable.
RENEWING = frozenset({CertificateStatus.VALID, CertificateStatus.LAPSED})


def _period_opener(certificate):
    """The certificate that opened `certificate`'s period of validity: a reissue (same expiry,
    same stage, e.g. after a name change) continues the period of the one it replaced."""
    current = certificate
    while current.supersedes_id is not None:
        previous = current.supersedes
        if (previous.expires_on, previous.is_provisional) != (
            current.expires_on,
            current.is_provisional,
        ):
            break
        current = previous
    return current


def renewal_period(certificate, opener=None):
    """What counts towards renewing `certificate`: everything done since its period of validity
    began. When that period began with a renewal (or a confirmation), a record dated the day it
    began counts only if recorded after that moment: it already served the period before."""
    opener = opener or _period_opener(certificate)
    return Period(
        start=timezone.localdate(opener.issued_at),
        since=opener.issued_at if opener.supersedes_id else None,
    )


def _carried_ce_hours(certificate, programme, requirements, opener):
    """Continuing-education hours logged during the previous period beyond the total its renewal
    needed, up to the programme's `ce_carry_over_hours` (0: none carry). Only a renewal carries
    hours over; a provisional certificate's period had no renewal to exceed."""
    cap = Decimal(programme.ce_carry_over_hours or 0)
    if not cap or opener.supersedes_id is None:
        return ZERO
    previous = opener.supersedes
    if previous.is_provisional:
        return ZERO
    needed = max(
        (r.minimum for r in requirements if r.kind == Kind.CE_HOURS and not r.category_id),
        default=ZERO,
    )
    before = renewal_period(previous)
    period = Period(
        start=before.start,
        since=before.since,
        end=timezone.localdate(opener.issued_at),
        until=opener.issued_at,
    )
    logged = sum(ce_hours_by_category(certificate.holder_id, period).values(), ZERO)
    return min(cap, max(ZERO, logged - needed))


@dataclasses.dataclass(frozen=True)
class RenewalProgress:
    """Where a certificate holder stands towards renewing one certificate."""

    certificate: object
    items: list
    period: Period
    hours_by_category: list  # [(category name, hours)], categories with hours only
    carried_ce_hours: Decimal

    @property
    def is_met(self):
        return all(item.is_met for item in self.items)

    @property
    def missing(self):
        """One line per requirement not yet met, e.g. "3 more hours: continuing-education hours
        in ethics"."""
        return [item.missing for item in self.items if not item.is_met]

    @property
    def deadline(self):
        """The last day to renew: the certificate's last valid day, or once lapsed the last day
        of its grace period."""
        if self.certificate.status == CertificateStatus.LAPSED:
            return self.certificate.renewal_due_by
        return self.certificate.valid_until

    @property
    def ce_hours_total(self):
        return sum((hours for _name, hours in self.hours_by_category), ZERO)

    @property
    def needs_sessions(self):
        return any(item.is_sessions for item in self.items)

    @property
    def opens_on(self):
        """The first day the holder may renew, or None for a certificate that never expires."""
        return renewal_opens_on(self.certificate)

    @property
    def can_renew(self):
        """Requirements met, and the certificate in its renewal window or grace period."""
        return self.is_met and is_renewable(self.certificate)


def renewal_progress(certificate, requirements=None, categories=None):
    """RenewalProgress for a valid or lapsed certificate whose programme has renewal
    requirements; None otherwise. `requirements` and `categories` (id → name) may be passed in
    when measuring several certificates."""
    if certificate.programme_id is None or certificate.holder_id is None:
        return None
    if certificate.status not in RENEWING:
        return None
    if requirements is None:
        requirements = requirements_of([certificate.programme_id], Stage.RENEWAL).get(
            certificate.programme_id, []
        )
    if not requirements:
        return None
    opener = _period_opener(certificate)
    period = renewal_period(certificate, opener)
    carried = _carried_ce_hours(certificate, certificate.programme, requirements, opener)
    memo = {}
    hours = ce_hours_by_category(certificate.holder_id, period, memo)
    items = measure(
        certificate.holder_id, certificate.programme_id, requirements, period, carried, memo
    )
    if categories is None:
        categories = dict(
            ContinuingEducationCategory.objects.filter(pk__in=list(hours)).values_list("pk", "name")
        )
    by_category = sorted(
        ((categories.get(pk, _("Other")), value) for pk, value in hours.items() if value),
        key=lambda pair: pair[0],
    )
    return RenewalProgress(certificate, items, period, by_category, carried)


def attach_renewal_progress(certificates):
    """Set `certificate.renewal` (RenewalProgress or None) on each certificate of a list, with
    the requirements and category names fetched once for all of them. Certificates fetched
    with `with_renewal_flag` cost no query at all when none of their programmes sets renewal
    requirements."""
    renewing = [
        c
        for c in certificates
        if c.programme_id and c.status in RENEWING and getattr(c, "renews_by_requirements", True)
    ]
    requirements = (
        requirements_of({c.programme_id for c in renewing}, Stage.RENEWAL) if renewing else {}
    )
    categories, programmes = {}, {}
    if requirements:
        categories = dict(ContinuingEducationCategory.objects.values_list("pk", "name"))
        programmes = ProgrammePage.objects.in_bulk(list(requirements))
    for certificate in certificates:
        certificate.renewal = None
        if certificate in renewing and certificate.programme_id in requirements:
            certificate.programme = programmes[certificate.programme_id]
            certificate.renewal = renewal_progress(
                certificate, requirements[certificate.programme_id], categories
            )
    return certificates


def with_renewal_flag(certificates):
    """Annotate `renews_by_requirements` on a certificate queryset (a subquery, no extra query)."""
    return certificates.annotate(
        renews_by_requirements=Exists(
            ProgrammeRequirement.objects.filter(
                programme=OuterRef("programme"), stage=Stage.RENEWAL
            )
        )
    )
