"""Who may use the Wagtail admin, answered once and cached, so learners' pages skip editor checks.

Wagtail asks two questions on every page a signed-in person sees: may they use the admin (the user
bar, two permission queries) and may they edit this page (group page permissions, one query). Both
can only be yes for a superuser or for someone with a group or a permission of their own; learners
have neither, which one query answers for both questions. The answer is cached per person until
anyone's groups or own permissions change (`peerpath.caching.GRANTS`); a stale "yes" only means
Wagtail's own checks run.
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q

from . import caching

# Where a user keeps the answer for the rest of the request (an attribute of our own, named as ours).
USER_ATTRIBUTE = "peerpath_has_admin_grants"


def has_admin_grants(user):
    """Whether `user` could hold any admin or editing permission (memoised on the user)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, USER_ATTRIBUTE):
        (generation,) = caching.generations(None, caching.GRANTS)
        key = f"peerpath:admin-grants:{generation}:{user.pk}"
        grants = cache.get(key)
        if grants is None:
            grants = (
                get_user_model()
                .objects.filter(pk=user.pk)
                .filter(Q(groups__isnull=False) | Q(user_permissions__isnull=False))
                .exists()
            )
            cache.set(key, grants, caching.TIMEOUT)
        setattr(user, USER_ATTRIBUTE, grants)
    return getattr(user, USER_ATTRIBUTE)


def can_edit_page(user, page):
    """Whether `user` may edit `page`: Wagtail's answer, without asking it for learners.

    Wagtail's edit check also looks up the page's workflow state (one query), because a workflow
    task may let its reviewers edit; Wagtail's tasks admit superusers and members of their groups,
    so someone without any admin grant can never edit.
    """
    if not has_admin_grants(user):
        return False
    return page.permissions_for_user(user).can_edit()
