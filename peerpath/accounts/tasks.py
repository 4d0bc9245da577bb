"""Background work for accounts, run by the tasks framework Wagtail uses (django_tasks).

Jobs carry an account's id, never an e-mail address or a token: a queue (Redis) is not a place
for personal data, and the worker reads the current address when it sends, so an address changed
in the meantime never receives mail meant for the account.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task
from wagtail.models import Site

from peerpath.models import OrganisationSettings

from . import links
from .models import certificate_name_for


def _organisation_name():
    site = Site.objects.filter(is_default_site=True).first()
    return OrganisationSettings.for_site(site).name if site else "PeerPath"


def _active_user(user_id):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user if user is not None and user.email else None


def _send(user, template, context, html=True):
    """E-mail `user` at their current address: accounts/email/<template>{_subject.txt,.txt,.html}."""
    context = {
        "name": certificate_name_for(user),
        "email": user.email,
        "organisation": _organisation_name(),
        **context,
    }
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"accounts/email/{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    if html:
        message.attach_alternative(
            render_to_string(f"accounts/email/{template}.html", context), "text/html"
        )
    message.send()
    return True


@task()
def send_confirmation_email(user_id):
    """E-mail the link that confirms the account's current address."""
    user = _active_user(user_id)
    if user is None:
        return False
    return _send(
        user,
        "confirm_email",
        {
            "link": links.confirmation_url(user.pk, user.email),
            "days": links.link_max_age_days(),
        },
    )


@task()
def send_signup_attempt_email(user_id):
    """Tell an account's owner that someone tried to sign up with their address: the only place
    the news that the address is registered goes."""
    user = _active_user(user_id)
    if user is None:
        return False
    return _send(
        user,
        "signup_attempt",
        {"login_link": links.login_url(), "reset_link": links.password_reset_request_url()},
    )


@task()
def send_password_reset_email(user_id):
    """E-mail a link to choose a new password (made here, so the token never sits in the queue)."""
    user = _active_user(user_id)
    if user is None or not user.has_usable_password():
        return False
    return _send(user, "password_reset", {"link": links.password_reset_url(user)}, html=False)
