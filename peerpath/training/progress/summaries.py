"""The learner's standing, summarised on their `Enrolment` row so reports read columns instead of
recounting progress rows: written after every action (`store_summary`) and recomputed for a whole
programme when its modules change (`refresh_summaries`, called by `training.receivers`).
"""

from __future__ import annotations

from django.db.models import Count, DateTimeField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import Enrolment, ModulePage, ModuleProgress, ProgrammePage
from .overview import percent_of


def store_summary(enrolment, overview, *, activity_at=None, started_at=None):
    """Write the learner's standing after an action (`overview` already shows its effect) to
    their enrolment row: required modules done of required, percent, last activity, and when
    they first started a module."""
    values = {
        "required_done": overview.required_done,
        "required_total": overview.required_total,
        "percent_complete": overview.percent,
    }
    if activity_at is not None:
        values["last_activity_at"] = activity_at
    if started_at is not None:
        # Set by the first module started; never moved by later ones.
        values["started_at"] = Coalesce(
            "started_at", Value(started_at, output_field=DateTimeField())
        )
    Enrolment.objects.filter(pk=enrolment.pk).update(**values)


def refresh_summaries(programme, enrolments=None):
    """Recompute the summary rows of `programme`'s enrolments (or of those in `enrolments`)
    from the progress rows, in one UPDATE: the same figures `ProgrammeOverview` gives.

    Called when the programme's modules change (added, published, unpublished, made optional,
    moved, deleted) and after progress is written in bulk. Completion is not touched: it is
    recorded once, at a learner's action.
    """
    required = ModulePage.objects.child_of(programme).live().filter(is_required=True)
    total = required.count()
    rows = Enrolment.objects.filter(programme=programme)
    if enrolments is not None:
        rows = rows.filter(pk__in=enrolments.values("pk"))
    done = Coalesce(
        Subquery(
            ModuleProgress.objects.filter(
                user=OuterRef("user"),
                module__in=required.values("pk"),
                completed_at__isnull=False,
            )
            .order_by()
            .values("user")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )
    first_start = Subquery(
        ModuleProgress.objects.filter(enrolment=OuterRef("pk"))
        .order_by("started_at")
        .values("started_at")[:1]
    )
    # `percent_of` in SQL: no required modules means 100%.
    percent = done * 100 / total if total else Value(percent_of(0, 0))
    return rows.update(
        required_total=total,
        required_done=done if total else 0,
        percent_complete=percent,
        started_at=first_start,
    )


def programme_at(path):
    """The programme at a tree path, or None."""
    return ProgrammePage.objects.filter(path=path).first()


def refresh_programme_of(module, parent_path=None):
    """Refresh the summaries of the programme `module` is in (or was in, at `parent_path`)."""
    programme = programme_at(parent_path or module.path[: -module.steplen])
    if programme is not None:
        refresh_summaries(programme)
