"""The roles people hold in an organisation, and the one place that grants and removes them.

Each organisation has one Django group per role (made by `setup.set_up_organisation`); holding a
role *is* being in that group, so Wagtail's page, collection and model permissions follow the
role with nothing to keep in step. The roles:

- **coordinator** — the organisation's people: members, cohorts, invitations, awards on prior
  learning, its sessions and rosters, and its quality and impact reports; and its staff roles.
- **editor** — its workshop pages and documents, and its sessions, as before roles existed.
- **safeguarding lead** — receives its safeguarding concerns and handles them in the admin.

Who may hand out a role is `can_manage_roles`: superusers and the organisation's coordinators.
Every grant and removal is recorded as a Wagtail log entry on the organisation.
"""

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from .models import Organisation


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EDITOR = "editor", _("Editor")
    SAFEGUARDING_LEAD = "safeguarding", _("Safeguarding lead")


#: The `Organisation` field holding each role's group.
GROUP_FIELDS = {
    Role.COORDINATOR: "coordinators_group",
    Role.EDITOR: "editors_group",
    Role.SAFEGUARDING_LEAD: "safeguarding_group",
}

#: What each role is for, shown where roles are handed out.
DESCRIPTIONS = {
    Role.COORDINATOR: _(
        "Manages the organisation's people, cohorts, invitations, awards, sessions and reports, "
        "and who holds each role."
    ),
    Role.EDITOR: _("Edits the organisation's workshop pages, documents and sessions."),
    Role.SAFEGUARDING_LEAD: _(
        "Receives the organisation's safeguarding concerns and handles them."
    ),
}

#: Group names, e.g. "Riverside coordinators": the editors' keeps the name it had before roles.
GROUP_NAMES = {
    Role.COORDINATOR: _("%(name)s coordinators"),
    Role.EDITOR: _("%(name)s editors"),
    Role.SAFEGUARDING_LEAD: _("%(name)s safeguarding leads"),
}

# Who may do what, by role: the `roles` argument of `scope.organisations_for`.
#: Every role: staff of the organisation.
STAFF = tuple(Role)
#: The organisation's people, cohorts, invitations, awards, impact report and staff roles.
PEOPLE = (Role.COORDINATOR,)
#: Its sessions, series and rosters (editors ran them before coordinators existed).
SESSIONS = (Role.COORDINATOR, Role.EDITOR)
#: Its safeguarding concerns, signposting categories and local services.
SAFEGUARDING = (Role.COORDINATOR, Role.EDITOR, Role.SAFEGUARDING_LEAD)
#: Its learners' records: progress, certificates, supervised practice, continuing education and
#: the facilitation log (editors saw them before coordinators existed; safeguarding leads never).
LEARNERS = (Role.COORDINATOR, Role.EDITOR)

GRANTED = "peerpath.role_granted"
REMOVED = "peerpath.role_removed"


class RoleError(Exception):
    """A role change that cannot be made, with a message fit to show."""


def group_of(organisation, role):
    """The Django group of `role` in `organisation` (None before the organisation is set up)."""
    return getattr(organisation, GROUP_FIELDS[Role(role)])


def holders(organisation, role):
    """Active accounts holding `role` in `organisation`."""
    group_id = getattr(organisation, f"{GROUP_FIELDS[Role(role)]}_id")
    if group_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(groups=group_id, is_active=True)


def roles_of(user, organisation):
    """The roles `user` holds in `organisation`, in the order of `Role`."""
    group_ids = set(user.groups.values_list("pk", flat=True))
    return [role for role in Role if getattr(organisation, f"{GROUP_FIELDS[role]}_id") in group_ids]


def can_manage_roles(user, organisation):
    """Superusers and the organisation's coordinators hand out its roles."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return holders(organisation, Role.COORDINATOR).filter(pk=user.pk).exists()


@transaction.atomic
def grant(organisation, user, role, *, by=None):
    """Give `user` `role` in `organisation`. Idempotent. (A role is not membership: staff appear
    among the organisation's learners only if they belong to it as learners too.)

    Returns True if the role is new. Refuses an inactive account.
    """
    role = Role(role)
    if not user.is_active:
        raise RoleError(_("That account is closed."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    group = group_of(organisation, role)
    if group is None:
        raise RoleError(_("The organisation is not set up yet: save it once in the admin."))
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    log(organisation, GRANTED, user=by, data={"account": user.pk, "role": role.value})
    return True


@transaction.atomic
def remove(organisation, user, role, *, by=None):
    """Take `role` in `organisation` away from `user`. Refuses to leave it without a coordinator
    when someone other than a superuser does it (they would lock themselves out)."""
    role = Role(role)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    group = group_of(organisation, role)
    if group is None or not user.groups.filter(pk=group.pk).exists():
        return False
    if (
        role == Role.COORDINATOR
        and not (by is not None and by.is_superuser)
        and holders(organisation, Role.COORDINATOR).exclude(pk=user.pk).count() == 0
    ):
        raise RoleError(
            _("%(name)s would have no coordinator left: give someone else the role first.")
            % {"name": organisation.name}
        )
    user.groups.remove(group)
    log(organisation, REMOVED, user=by, data={"account": user.pk, "role": role.value})
    return True
