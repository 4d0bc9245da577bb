"""Who may coordinate which organisation: the organisation-scope rule for the coordinator role.

Every coordination screen asks these, never the groups directly: superusers coordinate every
organisation, an organisation's coordinators (`roles.PEOPLE`) their own, anyone else none. Another
organisation's cohort, invitation, learner or report is a 404, as if it did not exist.
"""

from django.http import Http404

from peerpath.organisations import roles
from peerpath.organisations.models import Organisation
from peerpath.organisations.scope import (
    in_scope,
    organisations_for,
    scope_learners,
    visible_organisations,
)


def coordinated_organisations(user):
    """The organisations `user` coordinates (all, for superusers), as a queryset by name."""
    return visible_organisations(user, roles.PEOPLE).order_by("name")


def can_coordinate(user):
    """Whether `user` coordinates at least one organisation (shows the People menu)."""
    if not (user.is_authenticated and user.is_active):
        return False
    organisations = organisations_for(user, roles.PEOPLE)
    return organisations is None or organisations.exists()


def coordinates(user, organisation_id):
    """Whether `user` coordinates the organisation with pk `organisation_id`."""
    if not (user.is_authenticated and user.is_active):
        return False
    return in_scope(user, organisation_id, roles.PEOPLE)


def organisation_or_404(user, organisation_id):
    """The organisation with pk `organisation_id`, if `user` coordinates it; else 404."""
    try:
        organisation_id = int(organisation_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not coordinates(user, organisation_id):
        raise Http404
    try:
        return Organisation.objects.get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None


def scope_to_coordinated(queryset, user, field="organisation"):
    """Rows of `queryset` whose `field` is an organisation `user` coordinates."""
    organisations = organisations_for(user, roles.PEOPLE)
    if organisations is None:
        return queryset
    return queryset.filter(**{f"{field}__in": organisations})


def coordinated_learners(queryset, user, user_field="user"):
    """Rows whose learner belongs to an organisation `user` coordinates."""
    return scope_learners(queryset, user, user_field=user_field, roles=roles.PEOPLE)
