"""Who sees whose learners, certificates, sessions and reports in the admin: the one
organisation-scope rule, shared by every app whose admin screens show an organisation's data.

Superusers see everything. Anyone else sees what belongs to the organisations where they hold a
role (`roles.Role`: coordinator, editor, safeguarding lead); a screen asks for the roles that may
use it (`roles.PEOPLE`, `roles.SESSIONS`, `roles.SAFEGUARDING`; all of them by default). Learners
are an organisation's when they belong to it (`OrganisationMembership`), with their certificates.
Staff of no organisation see nothing. Each rule is a subquery, so scoping never adds a query to a
listing.

Audit entries about learners follow the same rule: `peerpath.scope.LearnerLogEntryManager` asks
`scope_learners`, which this app registers with the shared core when it is ready.
"""

from django.db.models import Exists, OuterRef, Q, Subquery

from .models import Organisation, OrganisationMembership
from .roles import GROUP_FIELDS, STAFF, Role


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


def scope_learners(queryset, user, user_field="user", roles=STAFF):
    """Rows of `queryset` whose `user_field` is a learner `user` may see."""
    organisations = organisations_for(user, roles)
    if organisations is None:
        return queryset
    return queryset.filter(_membership_in(organisations, OuterRef(user_field)))


def scope_certificates(queryset, user):
    """Certificates `user` may see: those whose holder belongs to the user's organisations."""
    return scope_learners(queryset, user, user_field="holder")


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
