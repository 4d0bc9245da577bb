"""Taking your data and leaving: the export ZIP and account erasure.

Each PeerPath app contributes what it holds through two Wagtail hooks, so this module needs no
knowledge of training, certificates or workshops:

- ``peerpath_export_personal_data``: ``fn(user) -> dict`` with ``"data"`` (a JSON-serialisable dict
  of section name → records) and optionally ``"files"`` (a list of ``(name_in_zip, bytes)``).
- ``peerpath_erase_personal_data``: ``fn(user, erased_by) -> None``; erases or anonymises that
  app's personal data in place, keeping rows that aggregate reports count.
"""

import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from .models import AccountLogEntry, Consent, Profile, account_log_label

EXPORT_FORMAT_VERSION = 1


def _account_section(user):
    profile = Profile.objects.filter(user=user).first()
    return {
        "email": user.email,
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "certificate_name": profile.certificate_name if profile else None,
        "privacy_consents": [
            {"notice_version": c.notice_version, "given_at": c.given_at}
            for c in Consent.objects.filter(user=user).order_by("given_at")
        ],
    }


def collect_personal_data(user):
    """Everything PeerPath holds about `user`: (data dict, list of (name, bytes) files)."""
    data = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "account": _account_section(user),
    }
    files = []
    for fn in hooks.get_hooks("peerpath_export_personal_data"):
        contribution = fn(user) or {}
        data.update(contribution.get("data", {}))
        files.extend(contribution.get("files", []))
    return data, files


def export_zip(user):
    """The learner's data as one ZIP: data.json, a README and any files (e.g. certificate PDFs)."""
    data, files = collect_personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        archive.writestr(
            "README.txt",
            "This archive holds everything PeerPath stores about you.\n"
            "data.json is machine-readable (JSON); the other files are your documents, such as "
            "certificate PDFs.\n",
        )
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def can_erase_others(user):
    """Who may erase another person's data on request: superusers, and staff given the
    "Can erase a learner's personal data on request" permission."""
    return bool(
        getattr(user, "is_active", False)
        and user.is_staff
        and (user.is_superuser or user.has_perm("peerpath_accounts.erase_personal_data"))
    )


def is_erased(user):
    """True for an account `erase_account` has already anonymised."""
    return user.get_username() == anonymous_username(user) and not user.has_usable_password()


def erasure_refusal(staff, person):
    """Why `staff` may not erase `person` from the admin, or None if they may."""
    if person.pk == staff.pk:
        return _(
            "You cannot erase your own account here. To delete it, use “Delete my account” on "
            "your profile, which asks for your password."
        )
    if person.is_superuser:
        return _(
            "This is a superuser account, and superusers cannot be erased here. Another superuser "
            "must first remove its superuser status."
        )
    if person.is_staff and not staff.is_superuser:
        return _("This is a staff account: only a superuser can erase it.")
    if is_erased(person):
        return _("This account's personal data has already been erased.")
    return None


def _forget_name_in_audit_trail(user):
    """Log entries about the account (e.g. staff editing or deleting it) stay, labelled by the
    account's id. New entries are labelled so anyway; this also covers an entry logged with an
    explicit title (Wagtail's `log(..., title=...)`)."""
    AccountLogEntry.objects.filter(account_id=user.pk).update(label=account_log_label(user.pk))


def _erase_admin_profile(user):
    """Wagtail's own profile row (avatar, admin preferences); the avatar file goes on commit."""
    for admin_profile in UserProfile.objects.filter(user=user):
        if admin_profile.avatar:
            storage, name = admin_profile.avatar.storage, admin_profile.avatar.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        admin_profile.delete()


def anonymous_username(user):
    return f"erased-{user.pk}"


def _erase_personal_data(user, erased_by):
    """What every erasure does, whether the account row then stays or goes: each app's personal
    data through its hook, the profile, consents, Wagtail's profile, names in the audit trail."""
    for fn in hooks.get_hooks("peerpath_erase_personal_data"):
        fn(user, erased_by)
    Profile.objects.filter(user=user).delete()
    Consent.objects.filter(user=user).delete()
    _erase_admin_profile(user)
    _forget_name_in_audit_trail(user)


@transaction.atomic
def erase_account(user, erased_by=None, reason=""):
    """Erase `user`'s personal data and close the account, keeping anonymous rows for reports.

    The user row stays (anonymised, unable to log in) so enrolment and certificate counts stay
    right; every app's own personal data is erased through its hook.
    """
    _erase_personal_data(user, erased_by)
    User = get_user_model()
    user.username = anonymous_username(user)
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.none())
    user.user_permissions.clear()
    if erased_by is not None:
        log(
            instance=user,
            action="peerpath.account_erased",
            user=erased_by,
            data={"reason": reason[:500], "user_id": user.pk},
        )
    return User.objects.get(pk=user.pk)


def erase_before_delete(sender, instance, **kwargs):
    """`pre_delete` of the user model: however an account is deleted (Wagtail's Users admin, its
    bulk delete, `User.delete()`, a queryset delete), the person's data is erased first, exactly
    as "Delete my account" erases it. Certificates then stop being valid and lose the name and
    PDF, instead of outliving the account. An account already erased is not erased twice."""
    if not is_erased(instance):
        _erase_personal_data(instance, erased_by=None)
