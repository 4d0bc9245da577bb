"""Who may use the Wagtail admin, decided in one query so learners' pages skip editor checks.

Wagtail asks two questions on every page a signed-in person sees: may they use the admin (the user
bar, two permission queries) and may they edit this page (group page permissions, one query). Both
can only be yes for a superuser or for someone with a group or a permission of their own; learners
have neither, which one query answers for both questions.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.models import GroupPagePermission
from wagtail.permission_policies.pages import PagePermissionPolicy

_GRANTS = "_peerpath_has_admin_grants"


def has_admin_grants(user):
    """Whether `user` could hold any admin or editing permission (memoised on the user)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, _GRANTS):
        setattr(
            user,
            _GRANTS,
            get_user_model()
            .objects.filter(pk=user.pk)
            .filter(Q(groups__isnull=False) | Q(user_permissions__isnull=False))
            .exists(),
        )
    return getattr(user, _GRANTS)


def skip_page_permissions_for_learners(user):
    """Tell Wagtail's page permission policy that a learner holds no page permissions.

    Without groups there are no group page permissions, so this primes the policy's per-user cache
    with the empty set it would have loaded.
    """
    if user.is_authenticated and not has_admin_grants(user):
        cache_name = PagePermissionPolicy.permission_cache_name
        if not hasattr(user, cache_name):
            setattr(user, cache_name, GroupPagePermission.objects.none())
