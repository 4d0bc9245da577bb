"""What organisations contribute to the account export and to account erasure (accounts.privacy).

Erasure removes the person's organisation memberships: nobody's staff need see an erased account.
"""

from .models import Organisation, OrganisationMembership


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
                {"organisation": organisation.name, "role": "editor"}
                for organisation in Organisation.objects.filter(editors_group__user=user)
            ],
        }
    }


def erase_personal_data(user, erased_by=None):
    OrganisationMembership.objects.filter(user=user).delete()
