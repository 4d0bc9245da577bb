"""Who sees whose learners, certificates, sessions and reports in the admin: the one
organisation-scope rule, shared by every app whose admin screens show an organisation's data.

Superusers see everything. Anyone else sees what belongs to the organisations where they hold a
role (`roles.Role`: coordinator, editor, safeguarding lead); a screen asks for the roles that may
use it. Learners are an organisation's when they belong to it (`OrganisationMembership`), with
their certificates. Staff of no organisation see nothing. Each rule is a subquery, so scoping
never adds a query to a listing.

Which roles each kind of screen passes (`roles.py` names the tuples):

- `roles.PEOPLE` (coordinators): people, cohorts, invitations, awards, impact, staff roles.
- `roles.SESSIONS` (coordinators, editors): sessions, series, rosters, the staff's facilitation
  record and the quality report. Editors ran sessions before coordinators existed and still do.
- `roles.SAFEGUARDING` (all three): safeguarding concerns, signposting categories and local
  services. The safeguarding lead is there to handle concerns; coordinators and editors keep
  what editors could do before roles existed.
- `roles.LEARNERS` (coordinators, editors): learners' records: the Certification admin,
  the learner-progress report, supervised practice, continuing education and the facilitation
  log, and the audit entries about learners. Coordinators because learners are their work;
  editors because they have seen their organisation's learners since the first organisation
  screens, and their tests and reports rely on it (whether they *may* open a screen is still
  the model permission each screen asks). Not safeguarding leads: a concern reaches them with
  what they need, and nothing about a learner's training does; `STAFF` would widen every
  learner screen to them the day they were given a view permission for something else.

`scope_learners` and `scope_certificates` therefore default to `roles.LEARNERS`;
`organisations_for` and `visible_organisations` default to every role (`roles.STAFF`), and each
caller names what its screen means.

Audit entries about learners follow the same rule: `peerpath.scope.LearnerLogEntryManager` asks
`scope_learners`, which this app registers with the shared core when it is ready.
"""

from django.db.models import Exists, OuterRef, Q, Subquery

from .models import Organisation, OrganisationMembership
from .roles import GROUP_FIELDS, LEARNERS, STAFF, Role


def organisations_for(user, roles=STAFF):
    """The organisations where `user` holds one of `roles` (a lazy queryset), or None for "all"
    (superusers). Nobody signed out or closed holds any."""
    if user.is_superuser and user.is_active:
        return None
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    condition = Q()
    for role in roles:
        condition |= Q(**{f"{GROUP_FIELDS[Role(role)]}__user": user})
    return Organisation.objects.filter(pk__in=Organisation.objects.filter(condition).values("pk"))


def visible_organisations(user, roles=STAFF):
    """Organisations to offer in filters: all for superusers, otherwise the user's own."""
    scope = organisations_for(user, roles)
    return Organisation.objects.all() if scope is None else scope


def in_scope(user, organisation_id, roles=STAFF):
    """True if the organisation with pk `organisation_id` is one `user` may act for in `roles`."""
    organisations = organisations_for(user, roles)
    return organisations is None or organisations.filter(pk=organisation_id).exists()


def _membership_in(organisations, user_ref):
    memberships = OrganisationMembership.objects.filter(user=user_ref)
    if organisations is not None:
        memberships = memberships.filter(organisation__in=organisations)
    return Exists(memberships)


def scope_learners(queryset, user, user_field="user", roles=LEARNERS):
    """Rows of `queryset` whose `user_field` is a learner `user` may see."""
    organisations = organisations_for(user, roles)
    if organisations is None:
        return queryset
    return queryset.filter(_membership_in(organisations, OuterRef(user_field)))


def scope_certificates(queryset, user, roles=LEARNERS):
    """Certificates `user` may see: those whose holder belongs to the user's organisations."""
    return scope_learners(queryset, user, user_field="holder", roles=roles)


def in_organisation(queryset, organisation, user_field="user"):
    """Rows whose learner belongs to `organisation` (a filter, not a permission)."""
    return queryset.filter(_membership_in([organisation], OuterRef(user_field)))


def organisation_name(user_field="user"):
    """An annotation: the name of (the first, alphabetically) organisation the learner is in."""
    return Subquery(
        OrganisationMembership.objects.filter(user=OuterRef(user_field))
        .order_by("organisation__name")
        .values("organisation__name")[:1]
    )
