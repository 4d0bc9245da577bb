"""The numbers behind the certification admin: each learner's progress and state, and the
dashboard's counts. Everything is computed by annotations and subqueries, so a page of the report
and the dashboard cost the same few queries however many learners, modules or certificates exist.

Completion itself is decided by `training/progress.py`; this module only reports what it recorded.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.models import Enrolment, ModulePage, ModuleProgress

from .models import Certificate, CertificateStatus
from .scope import organisation_name, scope_certificates, scope_learners

#: A valid certificate this close to its expiry date counts as "expiring".
EXPIRING_WITHIN_DAYS = 60


class LearnerState(TextChoices):
    """Where a learner stands in a programme, from the latest certificate and their progress."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CERTIFIED = "certified", _("Certified")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery, without GROUP BY tricks."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _modules_of_programme(**filters):
    return ModulePage.objects.filter(
        path__startswith=OuterRef("programme__path"),
        depth=OuterRef("programme__depth") + 1,
        live=True,
        **filters,
    ).values("pk")


def progress_rows(user):
    """Enrolments `user` may see, newest activity first, without the report's annotations.

    Pages of the report are chosen from this lean queryset; `annotate_progress` then computes the
    figures for the rows shown only (SQLite would otherwise compute them for every enrolment
    before sorting).
    """
    rows = Enrolment.objects.select_related("user", "programme").order_by(
        "-last_activity_at", "-pk"
    )
    return scope_learners(rows, user)


def annotate_progress(rows, today=None):
    """Annotate enrolments with the report's figures: organisation, % complete, required
    modules completed of required, and `state` (a `LearnerState`). Idempotent."""
    if "state" in rows.query.annotations:
        return rows
    today = today or timezone.localdate()
    latest_certificate = (
        Certificate.objects.with_status(today)
        .filter(holder=OuterRef("user"), programme=OuterRef("programme"))
        .order_by("-cycle")
    )
    done = ModuleProgress.objects.filter(
        enrolment=OuterRef("pk"), completed_at__isnull=False, module__live=True
    ).values("pk")
    return rows.annotate(
        organisation_name=organisation_name("user"),
        modules_total=SubqueryCount(_modules_of_programme()),
        modules_done=SubqueryCount(done),
        required_total=SubqueryCount(_modules_of_programme(is_required=True)),
        required_done=SubqueryCount(done.filter(module__is_required=True)),
        has_started=Exists(ModuleProgress.objects.filter(enrolment=OuterRef("pk"))),
        certificate_status=Subquery(latest_certificate.values("annotated_status")[:1]),
        certificate_expires_on=Subquery(latest_certificate.values("expires_on")[:1]),
    ).annotate(
        percent_complete=Case(
            When(modules_total=0, then=Value(0)),
            default=F("modules_done") * 100 / F("modules_total"),
            output_field=IntegerField(),
        ),
        state=_state(today),
    )


def _state(today):
    expiring_by = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    return Case(
        When(certificate_status=CertificateStatus.REVOKED, then=Value(LearnerState.REVOKED)),
        When(certificate_status=CertificateStatus.EXPIRED, then=Value(LearnerState.EXPIRED)),
        When(
            certificate_status=CertificateStatus.VALID,
            certificate_expires_on__lte=expiring_by,
            then=Value(LearnerState.EXPIRING),
        ),
        When(certificate_status=CertificateStatus.VALID, then=Value(LearnerState.CERTIFIED)),
        When(completed_at__isnull=False, then=Value(LearnerState.COMPLETED)),
        When(has_started=True, then=Value(LearnerState.IN_PROGRESS)),
        default=Value(LearnerState.NOT_STARTED),
        output_field=CharField(),
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
    """The admin home panel's numbers, in two queries: learners in training, and certificates
    certified (valid), expiring within `EXPIRING_WITHIN_DAYS`, expired and revoked."""
    today = today or timezone.localdate()
    expiring_by = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    in_training = scope_learners(
        Enrolment.objects.filter(completed_at__isnull=True), user
    ).aggregate(learners=Count("user", distinct=True))["learners"]
    valid = Q(annotated_status=CertificateStatus.VALID)
    counts = scope_certificates(Certificate.objects.with_status(today), user).aggregate(
        certified=Coalesce(Count("pk", filter=valid), 0),
        expiring=Coalesce(
            Count("pk", filter=valid & Q(expires_on__isnull=False, expires_on__lte=expiring_by)),
            0,
        ),
        expired=Coalesce(Count("pk", filter=Q(annotated_status=CertificateStatus.EXPIRED)), 0),
        revoked=Coalesce(Count("pk", filter=Q(annotated_status=CertificateStatus.REVOKED)), 0),
    )
    return {"in_training": in_training, **counts}
