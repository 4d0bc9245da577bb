"""Joining and getting back in, without telling a stranger who is registered.

In mental health, being registered with a peer-support programme is itself sensitive. So signing
up with an address that already has an account gets the same answer as a new sign-up, and the
real news goes by e-mail to the address's owner; asking for a password reset gets the same answer
whether or not an account uses the address, and whether or not the request was throttled.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, models, transaction

from . import throttle, verification
from .models import Consent, Profile
from .tasks import send_password_reset_email, send_signup_attempt_email

User = get_user_model()


def account_using(email):
    """The account whose e-mail address or username is `email` (any case), or None."""
    return (
        User.objects.filter(models.Q(email__iexact=email) | models.Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


def sign_up(*, certificate_name, email, password, notice_version):
    """Create a learner's account and send the link confirming the address; or, when the address
    already has an account, create nothing and tell its owner by e-mail.

    Returns nothing on purpose: what the person signing up is told must not depend on which
    happened. They log in next, with the address and password they chose.
    """
    existing = account_using(email)
    if existing is None:
        try:
            with transaction.atomic():
                user = _create_account(certificate_name, email, password, notice_version)
        except IntegrityError:
            # Someone signed up with the same address a moment ago.
            existing = account_using(email)
        else:
            verification.send_link(user)
            return
    # As long as creating an account would take: hashing the password is most of it.
    make_password(password)
    if existing is not None and throttle.allow_signup_notice(existing):
        send_signup_attempt_email.enqueue(existing.pk)


def create_invited_account(*, certificate_name, email, password, notice_version):
    """Create an account for someone who opened an invitation sent to `email` (the caller marks
    the address confirmed: the link proved they read its mail). Unlike `sign_up`, this may say
    that the address is taken: the page already knows whom the invitation is for. Raises
    IntegrityError when an account uses the address (call inside a transaction)."""
    if account_using(email) is not None:
        raise IntegrityError("An account already uses this address.")
    return _create_account(certificate_name, email, password, notice_version)


def _create_account(certificate_name, email, password, notice_version):
    first, _sep, last = certificate_name.partition(" ")
    user = User.objects.create_user(
        username=email,
        email=email,
        password=password,
        first_name=first[:150],
        last_name=last[:150],
    )
    Profile.objects.create(user=user, certificate_name=certificate_name)
    Consent.objects.create(user=user, notice_version=notice_version)
    return user


def send_password_reset(email, client_address, accounts):
    """E-mail a reset link to each of `accounts` (those Django's reset form found for `email`),
    unless the address or the client asked too often; either way the caller shows the same
    page. Each job carries an account id; the link is made by the worker."""
    if not throttle.allow_password_reset(email, client_address):
        return
    for user in accounts:
        send_password_reset_email.enqueue(user.pk)


def password_reset_completed(user):
    """A new password chosen through a reset link: the log-in lock the throttle put on the account
    is lifted, as the 'too many attempts' message promises."""
    throttle.lift_lock(user)
