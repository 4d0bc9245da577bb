"""The numbers behind the certification admin: each learner's progress and state, and the
dashboard's counts. A page of the report and the dashboard cost the same few queries however many
learners, modules or certificates exist.

Progress is decided by `training/progress.py`, which keeps each enrolment's summary row (started,
required modules done of required, percent, last activity, completed); this module reads those
columns and adds the one thing training cannot know: the learner's latest certificate, through
indexed subqueries evaluated against today's date.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.scope import organisation_name, scope_certificates, scope_learners
from training.models import Enrolment

from .models import Certificate, CertificateStatus

#: A valid certificate this close to its expiry date counts as "expiring".
EXPIRING_WITHIN_DAYS = 60


class LearnerState(TextChoices):
    """Where a learner stands in a programme, from the latest certificate and their progress."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    PROVISIONAL = "provisional", _("Provisionally certified")
    CERTIFIED = "certified", _("Certified")
    EXPIRING = "expiring", _("Expiring")
    LAPSED = "lapsed", _("Lapsed (renewal due)")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


def progress_rows(user):
    """Enrolments `user` may see, newest activity first, without the report's annotations.

    Pages of the report are chosen from this lean queryset (the `enrolment_activity_idx` index
    serves the order); `annotate_progress` then adds the figures for the rows shown only.
    """
    rows = Enrolment.objects.select_related("programme").order_by("-last_activity_at", "-pk")
    return scope_learners(rows, user)


def _current_certificate():
    """The learner's latest certificate for the programme (the highest cycle): the one that
    decides their state. Both lookups use the `one_certificate_per_cycle` index."""
    later = Certificate.objects.filter(
        holder=OuterRef("holder"), programme=OuterRef("programme"), cycle__gt=OuterRef("cycle")
    )
    return Certificate.objects.filter(
        holder=OuterRef("user"), programme=OuterRef("programme")
    ).filter(~Exists(later))


def state_conditions(today=None):
    """`LearnerState` → the condition an enrolment meets in that state, today.

    The one definition of the states: the report's filter uses a single condition and its
    column a `Case` of all of them. They are mutually exclusive and cover every enrolment. The
    latest certificate decides first (revoked > suspended > expired > lapsed > provisional >
    expiring > certified; a relinquished one counts as none), in the order
    `CertificateQuerySet.with_status()` gives the statuses; without one, the enrolment's summary
    row does (completed, started). Dates are compared with today, never stored as a state, so
    expiry needs no job.
    """
    today = today or timezone.localdate()
    expiring_by = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    current = _current_certificate()
    standing = current.filter(revoked_at__isnull=True, relinquished_at__isnull=True)
    in_force = standing.filter(suspended_at__isnull=True)
    past_expiry = in_force.filter(expires_on__lte=today)
    unexpired_full = in_force.filter(is_provisional=False).exclude(expires_on__lte=today)
    held = Exists(current.filter(Q(revoked_at__isnull=False) | Q(relinquished_at__isnull=True)))
    return {
        LearnerState.REVOKED: Q(Exists(current.filter(revoked_at__isnull=False))),
        LearnerState.SUSPENDED: Q(Exists(standing.filter(suspended_at__isnull=False))),
        LearnerState.EXPIRED: Q(
            Exists(past_expiry.filter(Q(grace_ends_on__isnull=True) | Q(grace_ends_on__lte=today)))
        ),
        LearnerState.LAPSED: Q(Exists(past_expiry.filter(grace_ends_on__gt=today))),
        LearnerState.PROVISIONAL: Q(
            Exists(in_force.filter(is_provisional=True).exclude(expires_on__lte=today))
        ),
        LearnerState.EXPIRING: Q(Exists(unexpired_full.filter(expires_on__lte=expiring_by))),
        LearnerState.CERTIFIED: Q(
            Exists(
                unexpired_full.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=expiring_by))
            )
        ),
        LearnerState.COMPLETED: ~Q(held) & Q(completed_at__isnull=False),
        LearnerState.IN_PROGRESS: ~Q(held) & Q(completed_at__isnull=True, started_at__isnull=False),
        LearnerState.NOT_STARTED: ~Q(held) & Q(completed_at__isnull=True, started_at__isnull=True),
    }


def in_state(rows, state, today=None):
    """Enrolments of `rows` in `state` (a `LearnerState` value)."""
    return rows.filter(state_conditions(today)[state])


def learner_name():
    """The learner's name as `get_full_name()` gives it, or their username without one."""
    return Case(
        When(user__first_name="", user__last_name="", then=F("user__username")),
        default=Trim(Concat("user__first_name", Value(" "), "user__last_name")),
        output_field=CharField(),
    )


def annotate_progress(rows, today=None):
    """Annotate enrolments with what the summary row does not hold: the learner's name and
    organisation, and `state` (a `LearnerState`). Idempotent."""
    if "state" in rows.query.annotations:
        return rows
    conditions = state_conditions(today)
    *cases, (last_state, _condition) = conditions.items()
    return rows.annotate(
        learner_name=learner_name(),
        organisation_name=organisation_name("user"),
        state=Case(
            *(When(condition, then=Value(state.value)) for state, condition in cases),
            default=Value(last_state.value),
            output_field=CharField(),
        ),
    )


def expiring_within(queryset, days, today=None):
    """Valid certificates that expire within `days` days."""
    today = today or timezone.localdate()
    return queryset.filter(
        annotated_status=CertificateStatus.VALID,
        expires_on__isnull=False,
        expires_on__lte=today + datetime.timedelta(days=days),
    )


def dashboard_counts(user, today=None):
    """The admin home panel's numbers, in two queries: learners in training (in progress in at
    least one programme, by the report's own definition, so the number matches the list it links
    to), and certificates certified (valid), expiring within `EXPIRING_WITHIN_DAYS`, provisional,
    lapsed, expired, suspended and revoked."""
    today = today or timezone.localdate()
    expiring_by = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    in_training = in_state(
        scope_learners(Enrolment.objects.all(), user), LearnerState.IN_PROGRESS, today
    ).aggregate(learners=Count("user", distinct=True))["learners"]
    valid = Q(annotated_status=CertificateStatus.VALID)
    counts = scope_certificates(Certificate.objects.with_status(today), user).aggregate(
        certified=Coalesce(Count("pk", filter=valid), 0),
        expiring=Coalesce(
            Count("pk", filter=valid & Q(expires_on__isnull=False, expires_on__lte=expiring_by)),
            0,
        ),
        **{
            status.value: Coalesce(Count("pk", filter=Q(annotated_status=status)), 0)
            for status in (
                CertificateStatus.PROVISIONAL,
                CertificateStatus.LAPSED,
                CertificateStatus.EXPIRED,
                CertificateStatus.SUSPENDED,
                CertificateStatus.REVOKED,
            )
        },
    )
    return {"in_training": in_training, **counts}
