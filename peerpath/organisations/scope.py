"""Who sees whose learners and certificates in the admin: the one organisation-scope rule, shared by
every app whose admin screens show learners (training, certificates, workshops).

Superusers see everyone. Anyone else is organisation staff: a member of one or more
organisations' editors groups, who sees only learners who belong to those organisations
(`OrganisationMembership`) and their certificates. Staff of no organisation see no learners. Each
rule is a subquery, so scoping never adds a query to a listing.

Audit entries about learners follow the same rule: `peerpath.scope.LearnerLogEntryManager` asks
`scope_learners`, which this app registers with the shared core when it is ready.
"""

from django.db.models import Exists, OuterRef, Subquery

from .models import Organisation, OrganisationMembership


def organisations_for(user):
    """The organisations `user` is staff of (a lazy queryset), or None for "all" (superusers)."""
    if user.is_superuser:
        return None
    return Organisation.objects.filter(editors_group__user=user)


def visible_organisations(user):
    """Organisations to offer in filters: all for superusers, otherwise the user's own."""
    scope = organisations_for(user)
    return Organisation.objects.all() if scope is None else scope


def _membership_in(organisations, user_ref):
    memberships = OrganisationMembership.objects.filter(user=user_ref)
    if organisations is not None:
        memberships = memberships.filter(organisation__in=organisations)
    return Exists(memberships)


def scope_learners(queryset, user, user_field="user"):
    """Rows of `queryset` whose `user_field` is a learner `user` may see."""
    organisations = organisations_for(user)
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
