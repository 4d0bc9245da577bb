"""The coordinator's People list: the members of the organisations they coordinate, one row per
membership, with their cohorts, where they stand on each programme, last activity and staff roles.

A page costs the same queries however many members there are: the list is chosen from the
memberships with indexed filters and subqueries (state, cohort, programme, search, last activity),
and only the page's rows are then decorated, each kind of detail in one query for the whole page.
A learner's state on a programme is the certification report's (`certificates.reports`:
`LearnerState`, decided by the latest certificate's status, `certificates.status`, then the
enrolment's summary row); the "until" dates come from the same latest certificates read
`with_status()`. Nothing here re-derives a status.
"""

import dataclasses

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Exists, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, Lower, Trim
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from peerpath.certificates.models import Certificate
from peerpath.certificates.reports import LearnerState, annotate_progress, in_state
from peerpath.certificates.status import CertificateStatus
from peerpath.organisations import roles
from peerpath.organisations.models import OrganisationMembership
from peerpath.training.models import Enrolment

from .access import scope_to_coordinated
from .coaching import days_ago
from .models import CohortMember

PAGE_SIZE = 50

SORTS = {
    "name": ("sort_name", "pk"),
    "-name": ("-sort_name", "-pk"),
    "activity": (F("last_activity").asc(nulls_first=True), "pk"),
    "-activity": (F("last_activity").desc(nulls_last=True), "-pk"),
}


class MemberError(Exception):
    """A change to a membership that cannot be made, with a message fit to show."""


def memberships(user):
    """Memberships of the organisations `user` coordinates, with what the list sorts on."""
    last_activity = (
        Enrolment.objects.filter(user=OuterRef("user"))
        .values("user")
        .annotate(latest=Max("last_activity_at"))
        .values("latest")
    )
    rows = OrganisationMembership.objects.select_related("user", "organisation").annotate(
        sort_name=Lower(
            Trim(
                Concat(
                    "user__first_name",
                    Value(" "),
                    "user__last_name",
                    Value(" "),
                    "user__username",
                    output_field=CharField(),
                )
            )
        ),
        last_activity=Subquery(last_activity),
    )
    return scope_to_coordinated(rows, user)


def filter_memberships(rows, *, organisation=None, cohort=None, programme=None, state=None, q=""):
    """`rows` narrowed by the People list's filters; each is one indexed condition."""
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if cohort is not None:
        rows = rows.filter(
            Exists(CohortMember.objects.filter(cohort=cohort, user=OuterRef("user")))
        )
    enrolments = Enrolment.objects.filter(user=OuterRef("user"))
    if programme is not None:
        enrolments = enrolments.filter(programme=programme)
    if state:
        rows = rows.filter(Exists(in_state(enrolments, state)))
    elif programme is not None:
        rows = rows.filter(Exists(enrolments))
    q = (q or "").strip()
    if q:
        words = q.split()
        for word in words:
            rows = rows.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(user__username__icontains=word)
            )
    return rows


def sort_memberships(rows, key):
    return rows.order_by(*SORTS.get(key, SORTS["name"]))


@dataclasses.dataclass
class ProgrammeState:
    """One of a person's programmes as the list shows it."""

    programme_id: int
    title: str
    state: str
    percent: int
    until: object = None

    @property
    def label(self):
        return LearnerState(self.state).label

    @property
    def text(self):
        """e.g. "In progress (40%)", "Certified until 3 May 2028"."""
        if self.state == LearnerState.IN_PROGRESS:
            return _("In training (%(percent)d%%)") % {"percent": self.percent}
        if self.until and self.state in UNTIL_STATES:
            return _("%(state)s until %(date)s") % {
                "state": self.label,
                "date": date_format(self.until, "j M Y"),
            }
        return self.label


#: States whose certificate date the list shows ("Certified until …", "Lapsed until …").
UNTIL_STATES = {
    LearnerState.CERTIFIED,
    LearnerState.EXPIRING,
    LearnerState.PROVISIONAL,
    LearnerState.LAPSED,
}


def latest_certificates(user_ids):
    """`{(holder, programme): certificate}`, each the latest cycle, read `with_status()`."""
    latest = {}
    certificates = (
        Certificate.objects.with_status()
        .filter(holder_id__in=user_ids)
        .only("pk", "holder_id", "programme_id", "cycle", "expires_on", "grace_ends_on")
        .order_by("holder_id", "programme_id", "cycle")
    )
    for certificate in certificates:
        latest[(certificate.holder_id, certificate.programme_id)] = certificate
    return latest


def certificate_until(certificate):
    """The date a certificate's current standing lasts to, or None."""
    if certificate is None:
        return None
    if certificate.annotated_status == CertificateStatus.LAPSED:
        return certificate.grace_ends_on
    return certificate.expires_on


def decorate(rows):
    """Fill in each membership of a page: `programme_states`, `cohort_names`, `role_labels`.
    Four queries for the whole page, whatever its length."""
    rows = list(rows)
    user_ids = {row.user_id for row in rows}
    if not rows:
        return rows
    states = {}
    enrolments = annotate_progress(
        Enrolment.objects.filter(user_id__in=user_ids).select_related("programme")
    ).order_by("programme__title")
    certificates = latest_certificates(user_ids)
    for enrolment in enrolments:
        certificate = certificates.get((enrolment.user_id, enrolment.programme_id))
        states.setdefault(enrolment.user_id, []).append(
            ProgrammeState(
                enrolment.programme_id,
                enrolment.programme.title,
                enrolment.state,
                enrolment.percent_complete,
                certificate_until(certificate),
            )
        )
    cohorts = {}
    memberships = (
        CohortMember.objects.filter(
            user_id__in=user_ids,
            cohort__organisation_id__in={row.organisation_id for row in rows},
            cohort__archived_at__isnull=True,
        )
        .select_related("cohort")
        .order_by("cohort__name")
    )
    for membership in memberships:
        key = (membership.user_id, membership.cohort.organisation_id)
        cohorts.setdefault(key, []).append(membership.cohort)
    role_by_group = {}
    for row in rows:
        for role, field in roles.GROUP_FIELDS.items():
            group_id = getattr(row.organisation, f"{field}_id")
            if group_id:
                role_by_group[group_id] = role
    held = {}
    through = get_user_model().groups.through.objects.filter(
        user_id__in=user_ids, group_id__in=role_by_group
    )
    for user_id, group_id in through.values_list("user_id", "group_id"):
        held.setdefault(user_id, set()).add(group_id)
    for row in rows:
        row.programme_states = states.get(row.user_id, [])
        row.cohort_list = cohorts.get((row.user_id, row.organisation_id), [])
        row.role_labels = [
            role.label
            for role, field in roles.GROUP_FIELDS.items()
            if getattr(row.organisation, f"{field}_id") in held.get(row.user_id, ())
        ]
        row.name = row.user.get_full_name() or row.user.get_username()
        row.last_active = days_ago(row.last_activity)
    return rows


def remove_from_organisation(membership):
    """Remove a member from an organisation and from its cohorts. Refused while they hold one of
    its staff roles (those are handed back through the roles screen first). Their training,
    certificates and other memberships are theirs and stay."""
    held = roles.roles_of(membership.user, membership.organisation)
    if held:
        raise MemberError(
            _("They hold a staff role here (%(roles)s): remove the role first.")
            % {"roles": ", ".join(str(role.label) for role in held)}
        )
    with transaction.atomic():
        CohortMember.objects.filter(
            user_id=membership.user_id, cohort__organisation_id=membership.organisation_id
        ).delete()
        membership.delete()


def export_rows(rows):
    """The People export: one row per membership, chunked; the programme states in one cell.

    Decorated a chunk at a time, so memory stays flat and queries grow with chunks, not people."""
    header = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Cohorts"),
        _("Programmes"),
        _("Last activity"),
        _("Staff roles"),
    ]
    yield [str(heading) for heading in header]
    chunk = []
    for row in rows.iterator(chunk_size=500):
        chunk.append(row)
        if len(chunk) == 500:
            yield from _export_chunk(chunk)
            chunk = []
    yield from _export_chunk(chunk)


def _export_chunk(chunk):
    for row in decorate(chunk):
        yield [
            row.name,
            row.user.email,
            row.organisation.name,
            ", ".join(cohort.name for cohort in row.cohort_list),
            "; ".join(f"{s.title}: {s.text}" for s in row.programme_states),
            row.last_activity.date().isoformat() if row.last_activity else "",
            ", ".join(str(label) for label in row.role_labels),
        ]
