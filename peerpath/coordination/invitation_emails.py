"""The invitation e-mail: sent by a task after the invitation is committed, with its id only.

The worker reads the invitation as it is when the message goes out: one accepted or withdrawn in
the meantime gets nothing, and a re-sent one carries its newest link (the token is made here, from
the current nonce). Failures are logged with the invitation's id, never its address or name.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task

from .invitation_links import accept_url
from .models import Invitation

logger = logging.getLogger(__name__)

TEMPLATES = "coordination/email/"


@task()
def send_invitation(invitation_id):
    """E-mail one open invitation its link; True if it went out."""
    invitation = (
        Invitation.objects.open()
        .select_related("organisation", "cohort", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        return False
    context = message_context(invitation, accept_url(invitation))
    subject = " ".join(render_to_string(f"{TEMPLATES}invitation_subject.txt", context).split())
    body = render_to_string(f"{TEMPLATES}invitation.txt", context)
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email]).send()
    # Any backend's failure is logged by id: its text may quote the address.
    except Exception as error:  # noqa: BLE001
        logger.error("Could not send invitation %s (%s)", invitation.pk, type(error).__name__)
        return False
    logger.info("Sent invitation %s", invitation.pk)
    return True


def message_context(invitation, url):
    programmes = []
    if invitation.cohort_id:
        programmes = [p.title for p in invitation.cohort.programmes.live().order_by("pk")]
    inviter = invitation.invited_by
    return {
        "name": invitation.name.split(" ")[0] if invitation.name else "",
        "organisation": invitation.organisation.name,
        "inviter": inviter.first_name if inviter and inviter.first_name else "",
        "cohort": invitation.cohort.name if invitation.cohort_id else "",
        "programmes": programmes,
        "url": url,
        "expires_on": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
    }
