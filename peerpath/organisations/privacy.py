"""What organisations contribute to the account export and to account erasure (accounts.privacy).

Erasure removes the person's organisation memberships and staff roles: nobody's staff need see an
erased account, and a closed account holds no role.
"""

from .models import Organisation, OrganisationMembership
from .roles import GROUP_FIELDS, Role


def export_personal_data(user):
    memberships = (
        OrganisationMembership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return {
        "data": {
            "organisation_memberships": [
                {"organisation": membership.organisation.name, "added_at": membership.added_at}
                for membership in memberships
            ],
            "organisation_roles": [
                {"organisation": organisation.name, "role": role.value}
                for role in Role
                for organisation in Organisation.objects.filter(
                    **{f"{GROUP_FIELDS[role]}__user": user}
                ).order_by("name")
            ],
        }
    }


def erase_personal_data(user, erased_by=None):
    OrganisationMembership.objects.filter(user=user).delete()
    for role in Role:
        user.groups.remove(
            *Organisation.objects.filter(**{f"{GROUP_FIELDS[role]}__user": user}).values_list(
                f"{GROUP_FIELDS[role]}", flat=True
            )
        )
