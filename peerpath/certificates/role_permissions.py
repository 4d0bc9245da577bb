"""What an organisation's coordinators may do with its learners and their certificates.

Coordinators manage the organisation's people (`organisations.roles`), so their group gets, when
the organisation is set up (`organisations.signals.organisation_set_up`, connected in
`apps.CertificatesConfig.ready()`):

- the Certification admin: see certificates and the learner-progress report, verify, and award
  on recognition of prior learning (`COORDINATOR_PERMISSIONS`);
- the training screens about learners: supervisor assignments and continuing-education
  activities, to view;
- the organisation's memberships: add, view and remove them.

Every one of those screens shows only the organisation's own learners (`organisations.scope`,
`roles.LEARNERS`). This app grants them because it is the lowest app that knows all three
(organisations, training and certificates); the meetings app grants the sessions' own
(`meetings.permissions`). Editors' permissions are unchanged; migration 0009 gives existing
organisations' coordinators the same.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q

from peerpath.organisations.models import Organisation
from peerpath.organisations.roles import Role
from peerpath.organisations.signals import organisation_set_up

#: The coordinators' permissions here, as "app_label.codename".
COORDINATOR_PERMISSIONS = (
    "peerpath_certificates.view_certificate",
    "peerpath_certificates.verify_certificate",
    "peerpath_certificates.award_certificate",
    "peerpath_training.view_supervisorassignment",
    "peerpath_training.view_continuingeducationactivity",
    "peerpath_organisations.add_organisationmembership",
    "peerpath_organisations.view_organisationmembership",
    "peerpath_organisations.delete_organisationmembership",
)


def coordinator_permissions():
    """The `Permission` rows of `COORDINATOR_PERMISSIONS`."""
    condition = Q(pk__in=[])
    for name in COORDINATOR_PERMISSIONS:
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(condition)


def on_organisation_set_up(sender, organisation, groups=None, **kwargs):
    if groups:
        groups[Role.COORDINATOR].permissions.add(*coordinator_permissions())


def connect():
    """Give each organisation's coordinators their permissions when it is set up."""
    organisation_set_up.connect(
        on_organisation_set_up,
        sender=Organisation,
        dispatch_uid="peerpath.certificates.role_permissions.on_organisation_set_up",
    )
