"""Expiry reminders: holders hear 60, 30 and 7 days before their certificate expires, once each.
Where the programme sets renewal requirements, the reminder lists what is still missing.
Provisional and lapsed certificates get none: they are confirmed or renewed, not reminded.

Safe to run every hour and from several machines: each reminder is first recorded in
`ExpiryReminder` (unique per certificate and threshold) and committed, and only then sent, so a
second run, or a concurrent one, finds it already claimed and never sends it twice; no database
transaction stays open while the mail server is talked to. A send that fails is logged (ids only)
and its record removed, so the next run tries again; the other reminders still go out. A run that
was missed for a few days sends only the nearest reminder, never a burst of all three.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .links import absolute_url, verification_url
from .models import Certificate, ExpiryReminder
from .renewal import renewal_progress

logger = logging.getLogger(__name__)

REMINDER_DAYS = (60, 30, 7)


def due_threshold(days_left, already_sent):
    """The reminder (days before expiry) to send now, or None.

    The nearest threshold not yet passed applies; if it or a nearer one was already sent, nothing is.
    """
    applicable = [days for days in sorted(REMINDER_DAYS) if days_left <= days]
    if not applicable:
        return None
    threshold = applicable[0]
    if any(sent <= threshold for sent in already_sent):
        return None
    return threshold


def certificates_expiring(today):
    """Valid certificates with a holder that expire within the largest reminder window."""
    return (
        Certificate.objects.valid(today)
        .filter(
            holder__isnull=False,
            expires_on__gt=today,
            expires_on__lte=today + datetime.timedelta(days=max(REMINDER_DAYS)),
        )
        .exclude(holder__email="")
        .select_related("holder", "programme")
        .prefetch_related("expiry_reminders")
        .order_by("expires_on", "pk")
    )


def _renew_url(certificate):
    if certificate.programme is not None and certificate.programme.live:
        return certificate.programme.full_url or ""
    return absolute_url("/")


def send_reminder(certificate, days_before, today):
    """Record and send one reminder; False if it had already been sent."""
    renewal = renewal_progress(certificate)
    context = {
        "certificate": certificate,
        "days_left": (certificate.expires_on - today).days,
        "renewal": renewal,
        "renew_url": absolute_url(reverse("training:my_training"))
        if renewal
        else _renew_url(certificate),
        "verify_url": verification_url(certificate),
    }
    subject = render_to_string("certificates/email/expiry_reminder_subject.txt", context)
    body = render_to_string("certificates/email/expiry_reminder.txt", context)
    try:
        # Committed before the mail server is contacted: whoever commits the claim first sends.
        with transaction.atomic(durable=True):
            reminder = ExpiryReminder.objects.create(
                certificate=certificate, days_before=days_before
            )
    except IntegrityError:
        return False
    try:
        send_mail(
            " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [certificate.holder.email],
        )
    # Any mail backend's failure (SMTP, a socket timeout, an API client's own error) must not
    # stop the rest of the batch: it is logged and the next run tries again.
    except Exception as error:  # noqa: BLE001 — logged below; the reminder stays owed
        # The error's text may quote the address: only ids and the kind of failure are logged.
        logger.error(
            "Could not send the %s-day expiry reminder for certificate %s (%s); "
            "the next run tries again",
            days_before,
            certificate.pk,
            type(error).__name__,
        )
        reminder.delete()
        return False
    return True


def send_due_reminders(today=None, dry_run=False):
    """Send every reminder that is due today; returns the certificates reminded (or due)."""
    today = today or timezone.localdate()
    reminded = []
    for certificate in certificates_expiring(today):
        already = {reminder.days_before for reminder in certificate.expiry_reminders.all()}
        threshold = due_threshold((certificate.expires_on - today).days, already)
        if threshold is None:
            continue
        if dry_run or send_reminder(certificate, threshold, today):
            reminded.append((certificate, threshold))
    return reminded
