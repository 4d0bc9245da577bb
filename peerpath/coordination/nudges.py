"""Nudges: a short, warm e-mail from a coordinator to a cohort member who has stalled, naming the
programme and their next step, with a link to carry on.

A member is nudged at most once per cohort per `NUDGE_INTERVAL`: the claim is a conditional UPDATE
of `CohortMember.last_nudged_at`, so of two clicks (or two coordinators) only one sends. The
message is written by a task after the transaction commits, with ids only on the queue, and reads
the member's progress as it is when it goes out. Logs name ids, never names or addresses.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from peerpath.accounts.links import absolute
from peerpath.meetings.notifications import enqueue
from peerpath.training.progress.overview import programme_overview

from .models import CohortMember

logger = logging.getLogger(__name__)

NUDGE_INTERVAL = datetime.timedelta(hours=24)
MAX_NOTE_LENGTH = 500
TEMPLATES = "coordination/email/"


@dataclasses.dataclass
class NudgeOutcome:
    """Who was nudged and who was skipped, and why (shown on the coach view)."""

    sent: list = dataclasses.field(default_factory=list)
    skipped: list = dataclasses.field(default_factory=list)  # (member, reason)


def link(url):
    """An e-mailable link to a page URL (relative on a one-site install)."""
    return url if url.startswith(("http://", "https://")) else absolute(url)


def next_step(member, programmes):
    """The member's first programme still to complete, its next step in words and a link.

    Training decides the next step (`ProgrammeOverview.next_module`); None once all are done."""
    for programme in programmes:
        overview = programme_overview(member.user, programme)
        if overview.is_complete:
            continue
        url = programme.get_url()
        if overview.can_restart:
            step = _("restart the programme from its page to take the training again")
        elif overview.next_module is not None:
            step = _("carry on with “%(module)s”") % {"module": overview.next_module.module.title}
            url = overview.next_module.module.url or url
        elif overview.modules_done and not overview.conduct_agreed:
            step = _("agree to the code of conduct to finish")
        else:
            step = _("pick up where you left off")
        return {"programme": programme.title, "step": step, "url": link(url or "/")}
    return None


def compose(member, note=""):
    """`(subject, body)` of a nudge to `member` (a `CohortMember` with `user` and `cohort`), or
    None when there is nothing to nudge about. The preview and the task both use this."""
    programmes = list(member.cohort.programmes.live().order_by("title", "pk"))
    step = next_step(member, programmes)
    if step is None:
        return None
    context = {
        "name": member.user.first_name or member.user.get_username(),
        "organisation": member.cohort.organisation.name,
        "cohort": member.cohort.name,
        "note": (note or "").strip()[:MAX_NOTE_LENGTH],
        **step,
    }
    subject = " ".join(render_to_string(f"{TEMPLATES}nudge_subject.txt", context).split())
    body = render_to_string(f"{TEMPLATES}nudge.txt", context)
    return subject, body


def nudge(cohort, members, note="", now=None):
    """Nudge each of `members` (`MemberProgress` rows of `cohort`): claim the day's nudge, then
    queue the e-mail after commit. Completed members, members without an address and members
    nudged in the last `NUDGE_INTERVAL` are skipped, each with its reason."""
    now = now or timezone.now()
    outcome = NudgeOutcome()
    note = (note or "").strip()[:MAX_NOTE_LENGTH]
    for row in members:
        user = row.membership.user
        if row.is_complete:
            outcome.skipped.append((row, _("has completed the cohort's programmes")))
            continue
        if not user.is_active or not user.email:
            outcome.skipped.append((row, _("has no e-mail address we can use")))
            continue
        with transaction.atomic():
            claimed = (
                CohortMember.objects.filter(pk=row.membership.pk, cohort=cohort)
                .filter(
                    Q(last_nudged_at__isnull=True) | Q(last_nudged_at__lte=now - NUDGE_INTERVAL)
                )
                .update(last_nudged_at=now)
            )
            if not claimed:
                outcome.skipped.append((row, _("was nudged in the last 24 hours")))
                continue
            member_id = row.membership.pk
            transaction.on_commit(lambda member_id=member_id: enqueue(send_nudge, member_id, note))
        outcome.sent.append(row)
    return outcome


@task()
def send_nudge(member_id, note=""):
    """Send one nudge, if the member is still in the cohort and still has something to do."""
    member = (
        CohortMember.objects.select_related("user", "cohort", "cohort__organisation")
        .filter(pk=member_id)
        .first()
    )
    if member is None or not member.user.is_active or not member.user.email:
        return False
    message = compose(member, note)
    if message is None:
        return False
    subject, body = message
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.user.email]).send()
    # Any backend's failure is logged by id and kind only: its text may quote the address.
    except Exception as error:  # noqa: BLE001
        logger.error(
            "Could not send the nudge to cohort member %s (%s)", member_id, type(error).__name__
        )
        return False
    logger.info("Sent a nudge to cohort member %s", member_id)
    return True
