"""Who may do what in the Certification admin, and the organisation filter its listings share.

Staff see the certificates and learners of their own organisations (`organisations.scope`)."""

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy

from peerpath.organisations.roles import LEARNERS
from peerpath.organisations.scope import in_organisation, scope_certificates, visible_organisations

from .models import Certificate

LIFECYCLE_PERMISSION = "peerpath_certificates.change_certificate"
REVOKE_PERMISSION = "peerpath_certificates.revoke_certificate"
VERIFY_PERMISSION = "peerpath_certificates.verify_certificate"


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Staff with "view certificate" see certificates; nobody adds, edits or deletes them here."""

    FORBIDDEN = {"add", "change", "delete"}

    def user_has_permission(self, user, action):
        return action not in self.FORBIDDEN and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


def can_manage_lifecycle(user):
    """Who may renew and reissue: staff with the "change certificate" permission."""
    return user.is_active and user.has_perm(LIFECYCLE_PERMISSION)


def can_revoke(user):
    """Who may revoke (one by one or in bulk), suspend and reinstate: staff with "Can revoke
    certificates". Suspension is the reversible form of the same decision, so it shares the
    permission."""
    return user.is_active and user.has_perm(REVOKE_PERMISSION)


def can_verify(user):
    """Who may use the staff verification lookup: staff with "Can verify certificates"."""
    return user.is_active and user.has_perm(VERIFY_PERMISSION)


def can_view_reports(user):
    """Who sees the certificate list, progress report and dashboard panel."""
    return user.is_active and user.has_perm("peerpath_certificates.view_certificate")


def visible_certificates(user):
    """Certificates with their status, limited to the user's organisations."""
    return scope_certificates(Certificate.objects.with_status(), user, LEARNERS)


class OrganisationFilter(django_filters.ModelChoiceFilter):
    """Learners who belong to the chosen organisation; the choices are the user's own."""

    def __init__(self, *args, user_field="user", **kwargs):
        self.user_field = user_field
        kwargs.setdefault("label", _("Organisation"))
        kwargs.setdefault("queryset", self._organisations)
        super().__init__(*args, **kwargs)

    @staticmethod
    def _organisations(request):
        if request is None:
            return visible_organisations(AnonymousUser()).none()
        return visible_organisations(request.user, LEARNERS)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return in_organisation(queryset, value, user_field=self.user_field)
