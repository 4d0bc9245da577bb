"""Who sees whose learners and certificates in the admin: the one organisation-scope rule, shared by
every app whose admin screens show learners (training, certificates, workshops).

Superusers see everyone. Anyone else is organisation staff: a member of one or more
organisations' editors groups, who sees only learners who belong to those organisations
(`workshops.OrganisationMembership`) and their certificates. Staff of no organisation see no
learners. Each rule is a subquery, so scoping never adds a query to a listing.

Audit entries about learners follow the same rule: `LearnerLogEntryManager` is the manager of a
Wagtail log entry model whose entries are about one learner, so that Wagtail's Site history report
shows organisation staff only their own learners' entries.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Subquery
from wagtail.models import BaseLogEntryManager


def _models():
    return (
        apps.get_model("workshops", "Organisation"),
        apps.get_model("workshops", "OrganisationMembership"),
    )


def organisations_for(user):
    """The organisations `user` is staff of (a lazy queryset), or None for "all" (superusers)."""
    if user.is_superuser:
        return None
    organisation_model, _membership = _models()
    return organisation_model.objects.filter(editors_group__user=user)


def visible_organisations(user):
    """Organisations to offer in filters: all for superusers, otherwise the user's own."""
    organisation_model, _membership = _models()
    scope = organisations_for(user)
    return organisation_model.objects.all() if scope is None else scope


def _membership_in(organisations, user_ref):
    _organisation, membership_model = _models()
    memberships = membership_model.objects.filter(user=user_ref)
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
    _organisation, membership_model = _models()
    return Subquery(
        membership_model.objects.filter(user=OuterRef(user_field))
        .order_by("organisation__name")
        .values("organisation__name")[:1]
    )


class LearnerLogEntryManager(BaseLogEntryManager):
    """The manager of a Wagtail log entry model whose entries are each about one learner.

    Wagtail's Site history report, its filters and its exports list what `viewable_by_user`
    returns; Wagtail's own rule is "any permission on the model", which would show every
    learner's entries to every organisation's staff. Here superusers see all, staff with
    `view_permission` see the entries about learners of their organisations, anyone else none.
    Subclasses set `learner_field` (the path from an entry to the learner, e.g.
    "certificate__holder") and `view_permission` ("app_label.codename").
    """

    learner_field = None
    view_permission = None

    def viewable_by_user(self, user):
        if user.is_superuser:
            return self.all()
        if not (user.is_active and user.has_perm(self.view_permission)):
            return self.none()
        return scope_learners(self.all(), user, user_field=self.learner_field)
