"""The numbers behind the certification admin: each learner's progress and state, and the
dashboard's counts. A page of the report and the dashboard cost the same few queries however many
learners, modules or certificates exist.

Progress is decided by `training/progress.py`, which keeps each enrolment's summary row (started,
required modules done of required, percent, last activity, completed); this module reads those
columns and adds the one thing training cannot know: the learner's latest certificate, through
indexed subqueries evaluated against today's date.
"""

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

from peerpath.organisations.roles import LEARNERS
from peerpath.organisations.scope import organisation_name, scope_certificates, scope_learners
from peerpath.training.models import Enrolment

from .models import Certificate
from .status import CertificateStatus, expiring_condition, status_conditions


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
    return scope_learners(rows, user, roles=LEARNERS)


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
    latest certificate decides first, by its status (`certificates.status`, the one rule:
    revoked, suspended, expired, lapsed, provisional, and valid split into expiring within
    `RENEWAL_WINDOW_DAYS` and certified; a relinquished one counts as none); without one, the
    enrolment's summary row does (completed, started). The latest certificate is never a
    replaced one: its replacement, for the same programme, has the next cycle. Dates are compared
    with today, never stored as a state, so expiry needs no job.
    """
    today = today or timezone.localdate()
    current = _current_certificate()
    status = status_conditions(today)
    expiring = expiring_condition(today)

    def latest_is(condition):
        return Q(Exists(current.filter(condition)))

    held = latest_is(~status[CertificateStatus.RELINQUISHED])
    return {
        LearnerState.REVOKED: latest_is(status[CertificateStatus.REVOKED]),
        LearnerState.SUSPENDED: latest_is(status[CertificateStatus.SUSPENDED]),
        LearnerState.EXPIRED: latest_is(status[CertificateStatus.EXPIRED]),
        LearnerState.LAPSED: latest_is(status[CertificateStatus.LAPSED]),
        LearnerState.PROVISIONAL: latest_is(status[CertificateStatus.PROVISIONAL]),
        LearnerState.EXPIRING: latest_is(expiring),
        LearnerState.CERTIFIED: latest_is(status[CertificateStatus.VALID] & ~expiring),
        LearnerState.COMPLETED: ~held & Q(completed_at__isnull=False),
        LearnerState.IN_PROGRESS: ~held & Q(completed_at__isnull=True, started_at__isnull=False),
        LearnerState.NOT_STARTED: ~held & Q(completed_at__isnull=True, started_at__isnull=True),
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
    return queryset.filter(expiring_condition(today, days))


def dashboard_counts(user, today=None):
    """The admin home panel's numbers, in two queries: learners in training (in progress in at
    least one programme, by the report's own definition, so the number matches the list it links
    to), and certificates certified (valid), expiring within `RENEWAL_WINDOW_DAYS`, provisional,
    lapsed, expired, suspended and revoked: each count filters by its status's one condition
    (`certificates.status`)."""
    today = today or timezone.localdate()
    status = status_conditions(today)
    in_training = in_state(
        scope_learners(Enrolment.objects.all(), user, roles=LEARNERS),
        LearnerState.IN_PROGRESS,
        today,
    ).aggregate(learners=Count("user", distinct=True))["learners"]
    counts = scope_certificates(Certificate.objects.all(), user, LEARNERS).aggregate(
        certified=Coalesce(Count("pk", filter=status[CertificateStatus.VALID]), 0),
        expiring=Coalesce(Count("pk", filter=expiring_condition(today)), 0),
        **{
            each.value: Coalesce(Count("pk", filter=status[each]), 0)
            for each in (
                CertificateStatus.PROVISIONAL,
                CertificateStatus.LAPSED,
                CertificateStatus.EXPIRED,
                CertificateStatus.SUSPENDED,
                CertificateStatus.REVOKED,
            )
        },
    )
    return {"in_training": in_training, **counts}
