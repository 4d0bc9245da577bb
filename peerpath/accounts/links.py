"""The links PeerPath e-mails to people: confirming an address, and resetting a password.

Both are absolute, on the site's public address (`WAGTAILADMIN_BASE_URL`, as certificates use),
because they are built in a background worker that has no request to take the host from.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from peerpath.conf import setting

CONFIRMATION_SALT = "peerpath.accounts.email-confirmation"


def confirmation_setting(name):
    """One of `PEERPATH_EMAIL_CONFIRMATION` (a dict), or its default."""
    return setting("EMAIL_CONFIRMATION", name)


def link_max_age_days():
    return confirmation_setting("LINK_MAX_AGE_DAYS")


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def make_confirmation_token(user_id, email):
    """A signed token naming the account and the address it confirms (read by
    `peerpath.accounts.verification.check_link`)."""
    payload = {"u": user_id, "e": (email or "").strip().lower()}
    return signing.dumps(payload, salt=CONFIRMATION_SALT, compress=True)


def confirmation_url(user_id, email):
    return absolute(
        reverse("accounts:confirm_email", args=[make_confirmation_token(user_id, email)])
    )


def password_reset_url(user):
    """A link to choose a new password, checked by Django's PasswordResetConfirmView: it works
    once, until the password or the last log-in changes, for PASSWORD_RESET_TIMEOUT."""
    return absolute(
        reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )


def login_url():
    return absolute(reverse("accounts:login"))


def password_reset_request_url():
    return absolute(reverse("accounts:password_reset"))
