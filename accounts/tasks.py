"""Background work for accounts, run by the tasks framework Wagtail uses (django_tasks)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task

from .models import certificate_name_for
from .verification import confirmation_url, link_max_age_days


def _organisation_name():
    from wagtail.models import Site

    from peerpath.models import OrganisationSettings

    site = Site.objects.filter(is_default_site=True).first()
    return OrganisationSettings.for_site(site).name if site else "PeerPath"


@task()
def send_confirmation_email(user_id, email):
    """E-mail the link that confirms `email`, unless the account has moved on from that address."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or user.email.strip().lower() != email.strip().lower():
        return False
    context = {
        "name": certificate_name_for(user),
        "email": email,
        "link": confirmation_url(user_id, email),
        "days": link_max_age_days(),
        "organisation": _organisation_name(),
    }
    subject = " ".join(
        render_to_string("accounts/email/confirm_email_subject.txt", context).split()
    )
    message = EmailMultiAlternatives(
        subject,
        render_to_string("accounts/email/confirm_email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    message.attach_alternative(
        render_to_string("accounts/email/confirm_email.html", context), "text/html"
    )
    message.send()
    return True
