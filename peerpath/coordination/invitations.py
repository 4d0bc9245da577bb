"""Inviting people to join an organisation: the rules, in one place.

A coordinator invites one address (`invite`) or a checked list (`check_rows`, then `invite_many`,
all or nothing). Each invitation's link carries its `public_id` and `nonce`, signed; it works until
`expires_at` (`PEERPATH_INVITATION_DAYS`), and re-sending (`resend`) draws a new nonce, so only the
latest link works. Opening the link (`invitation_for_token`) and accepting it (`accept`) makes the
person a member of the organisation and of the cohort, and enrols them in the cohort's programmes.

The messages go out after the commit, in a task that carries the invitation's id only
(`invitation_emails`):
addresses and names never reach a queue or a log. Settled and long-expired invitations are deleted
after `PEERPATH_INVITATION_RETENTION_DAYS` (`purge`), since they hold a name and an address.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerpath.accounts import registration, verification
from peerpath.conf import setting
from peerpath.meetings.notifications import enqueue
from peerpath.organisations.models import OrganisationMembership
from peerpath.training.progress.commands import ProgrammeUnavailable, enrol

from .invitation_emails import send_invitation
from .invitation_links import read_token
from .models import Cohort, CohortMember, Invitation, new_nonce
from .uploads import looks_like_formula

User = get_user_model()

#: A re-sent invitation may be sent again only this long after.
RESEND_INTERVAL = datetime.timedelta(minutes=10)
NAME_MAX_LENGTH = Invitation._meta.get_field("name").max_length
STATUSES = ("pending", "expired", "accepted", "revoked")


class InvitationError(Exception):
    """An invitation cannot be made, re-sent or revoked; the message says why. `invitation` is the
    open one already sent to the address, when that is the reason (code "open")."""

    def __init__(self, message, code="invalid", invitation=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.invitation = invitation


class InvitationRefused(Exception):
    """A link that cannot be used: `code` is unknown (tampered, or never made), replaced (a newer
    link was sent), expired, revoked or used; the message says so plainly."""

    def __init__(self, code, invitation=None):
        super().__init__(code)
        self.code = code
        self.invitation = invitation

    @property
    def message(self):
        return {
            "unknown": _("This invitation link is not valid. Check that you copied all of it."),
            "replaced": _("A newer invitation was sent to you: use the link in the latest e-mail."),
            "expired": _(
                "This invitation has expired. Ask the organisation to send you a new one."
            ),
            "revoked": _("This invitation was withdrawn by the organisation."),
            "used": _("This invitation was already used. Log in to carry on."),
        }[self.code]


def normalise(email):
    return (email or "").strip().lower()


def expiry(now=None):
    return (now or timezone.now()) + datetime.timedelta(days=setting("INVITATION_DAYS"))


def expires_label(invitation):
    return date_format(timezone.localtime(invitation.expires_at), "j F Y")


# --- Checking ------------------------------------------------------------------------------------


def address_problem(email):
    """Why `email` (normalised) cannot be invited on its own merits, or None."""
    if not email:
        return _("Enter an e-mail address.")
    if looks_like_formula(email):
        return _("This cell starts like a spreadsheet formula: enter the plain address.")
    try:
        validate_email(email)
    except ValidationError:
        return _("This is not a valid e-mail address.")
    if len(email) > Invitation._meta.get_field("email").max_length:
        return _("This address is too long.")
    return None


def name_problem(name):
    if looks_like_formula(name):
        return _("The name starts like a spreadsheet formula: enter it without =, +, - or @.")
    if len(name) > NAME_MAX_LENGTH:
        return _("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH}
    return None


def cohort_problem(organisation, cohort):
    if cohort is None:
        return None
    if cohort.organisation_id != organisation.pk:
        return _("That cohort belongs to another organisation.")
    if cohort.archived_at is not None:
        return _("That cohort is archived: choose an active one.")
    return None


def member_addresses(organisation, emails):
    """Of `emails` (normalised), those of accounts already in `organisation` (one query)."""
    if not emails:
        return set()
    return set(
        OrganisationMembership.objects.filter(organisation=organisation)
        .annotate(address=Lower("user__email"))
        .filter(address__in=list(emails))
        .values_list("address", flat=True)
    )


def open_invitations(organisation, emails):
    """Open invitations of `organisation` to any of `emails`, by address (one query)."""
    return {
        invitation.email: invitation
        for invitation in Invitation.objects.open().filter(
            organisation=organisation, email__in=list(emails)
        )
    }


def active_cohorts(organisation):
    return Cohort.objects.filter(organisation=organisation, archived_at__isnull=True)


def check_rows(organisation, rows):
    """Check an upload's rows before anything is sent, in a fixed number of queries.

    `rows` are dicts with "email", "name", "cohort" (a cohort's name, any case) and "skip". Returns
    a list of dicts, one per row: "email" (normalised), "name", "cohort" (the Cohort or None),
    "skip" and "problems" (messages; empty when the row is ready). Skipped rows are not checked.
    """
    cohorts = {cohort.name.casefold(): cohort for cohort in active_cohorts(organisation)}
    emails = [normalise(row.get("email")) for row in rows if not row.get("skip")]
    members = member_addresses(organisation, [e for e in emails if not address_problem(e)])
    invited = open_invitations(organisation, emails)
    seen = set()
    checked = []
    for row in rows:
        email = normalise(row.get("email"))
        name = " ".join((row.get("name") or "").split())
        cohort_name = (row.get("cohort") or "").strip()
        result = {"email": email, "name": name, "cohort": None, "skip": bool(row.get("skip"))}
        problems = []
        if not result["skip"]:
            problems += [p for p in (address_problem(email), name_problem(name)) if p]
            if email in seen:
                problems.append(_("This address is already in the file, on an earlier row."))
            seen.add(email)
            if email in members:
                problems.append(_("This person is already a member of the organisation."))
            elif email in invited:
                problems.append(_("This address already has an open invitation."))
            if cohort_name:
                result["cohort"] = cohorts.get(cohort_name.casefold())
                if looks_like_formula(cohort_name):
                    problems.append(_("The cohort starts like a spreadsheet formula."))
                elif result["cohort"] is None:
                    problems.append(
                        _("The organisation has no active cohort called “%(name)s”.")
                        % {"name": cohort_name[:120]}
                    )
        result["problems"] = problems
        checked.append(result)
    return checked


def summary(checked):
    """'5 rows: 4 ready, 1 needs a fix' — the counts a preview shows above its table."""
    ready = sum(1 for row in checked if not row["skip"] and not row["problems"])
    fixes = sum(1 for row in checked if not row["skip"] and row["problems"])
    skipped = sum(1 for row in checked if row["skip"])
    parts = [_("%(count)d ready") % {"count": ready}]
    if fixes:
        parts.append(
            ngettext("%(count)d needs a fix", "%(count)d need a fix", fixes) % {"count": fixes}
        )
    if skipped:
        parts.append(_("%(count)d skipped") % {"count": skipped})
    rows = ngettext("%(count)d row", "%(count)d rows", len(checked)) % {"count": len(checked)}
    return _("%(rows)s: %(counts)s") % {"rows": rows, "counts": ", ".join(parts)}


# --- Inviting ------------------------------------------------------------------------------------


def invite(organisation, email, *, name="", cohort=None, by):
    """Invite `email` to join `organisation` (and `cohort`); the e-mail goes after the commit.

    Raises `InvitationError` for a bad address or name, a cohort of another organisation or an
    archived one, a member's address, or an address with an open invitation (code "open", with
    the invitation, so the form can offer to re-send it instead).
    """
    email = normalise(email)
    name = " ".join((name or "").split())
    problem = address_problem(email) or name_problem(name) or cohort_problem(organisation, cohort)
    if problem:
        raise InvitationError(problem)
    if member_addresses(organisation, [email]):
        raise InvitationError(
            _("This person is already a member of the organisation."), code="member"
        )
    existing = open_invitations(organisation, [email]).get(email)
    if existing is not None:
        raise InvitationError(
            _("This address already has an open invitation."), code="open", invitation=existing
        )
    try:
        with transaction.atomic():
            invitation = create(organisation, email, name, cohort, by)
    except IntegrityError:
        # Invited by someone else a moment ago (the one-open-invitation constraint).
        existing = open_invitations(organisation, [email]).get(email)
        raise InvitationError(
            _("This address already has an open invitation."), code="open", invitation=existing
        ) from None
    return invitation


def create(organisation, email, name, cohort, by):
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        name=name,
        cohort=cohort,
        invited_by=by,
        sent_at=now,
        send_count=1,
        expires_at=expiry(now),
    )
    transaction.on_commit(lambda: enqueue(send_invitation, invitation.pk))
    return invitation


def invite_many(organisation, rows, *, by):
    """Invite every row that is not skipped, all in one transaction, or none.

    The rows are checked again here (`check_rows`): if any has a problem, `InvitationError` is
    raised and nothing is created. Returns the invitations; their e-mails go after the commit.
    """
    checked = check_rows(organisation, rows)
    if any(row["problems"] for row in checked):
        raise InvitationError(_("Some rows need a fix: nothing was sent."))
    ready = [row for row in checked if not row["skip"]]
    if not ready:
        raise InvitationError(_("Every row is skipped: there is nobody to invite."))
    try:
        with transaction.atomic():
            return [
                create(organisation, row["email"], row["name"], row["cohort"], by) for row in ready
            ]
    except IntegrityError:
        raise InvitationError(
            _("Someone invited one of these addresses a moment ago: check the list again.")
        ) from None


def resend(invitation, *, by):
    """Send an open invitation again with a new link (the old one stops working) and a new
    expiry. Refused for a settled invitation, and within `RESEND_INTERVAL` of a re-send, so a
    mailbox is not flooded."""
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise InvitationError(_("This invitation was already accepted."), code="settled")
        if invitation.revoked_at:
            raise InvitationError(_("This invitation was withdrawn."), code="settled")
        if (
            invitation.send_count > 1
            and invitation.sent_at
            and now - invitation.sent_at < (RESEND_INTERVAL)
        ):
            raise InvitationError(
                _("It was sent again less than 10 minutes ago: wait a little before re-sending."),
                code="too_soon",
            )
        invitation.nonce = new_nonce()
        invitation.expires_at = expiry(now)
        invitation.sent_at = now
        invitation.send_count += 1
        invitation.save(update_fields=["nonce", "expires_at", "sent_at", "send_count"])
        transaction.on_commit(lambda: enqueue(send_invitation, invitation.pk))
    return invitation


def revoke(invitation, *, by, at=None):
    """Withdraw an open invitation: its link stops working. An accepted one cannot be."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise InvitationError(_("This invitation was already accepted."), code="settled")
        if invitation.revoked_at:
            raise InvitationError(_("This invitation was already withdrawn."), code="settled")
        invitation.revoked_at = at or timezone.now()
        invitation.revoked_by = by
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


# --- Opening and accepting -----------------------------------------------------------------------


def invitation_for_token(token):
    """The invitation whose link this is, if it can still be used; else `InvitationRefused`."""
    try:
        public_id, nonce = read_token(token)
        invitation = Invitation.objects.select_related("organisation", "cohort", "invited_by").get(
            public_id=public_id
        )
    except (signing.BadSignature, ValueError, ValidationError, Invitation.DoesNotExist):
        raise InvitationRefused("unknown") from None
    check_usable(invitation, nonce)
    return invitation


def check_usable(invitation, nonce=None):
    if invitation.accepted_at:
        raise InvitationRefused("used", invitation)
    if invitation.revoked_at:
        raise InvitationRefused("revoked", invitation)
    if nonce is not None and nonce != invitation.nonce:
        raise InvitationRefused("replaced", invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused("expired", invitation)


def accept(invitation, user):
    """`user` accepts `invitation`: membership of the organisation and the cohort, enrolment in
    the cohort's live programmes. Raises `InvitationRefused` if it was used, withdrawn or expired
    meanwhile: the row is locked, so of two accepts at once exactly one wins."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        check_usable(locked, invitation.nonce)
        OrganisationMembership.objects.get_or_create(
            user=user, organisation_id=locked.organisation_id
        )
        if locked.cohort_id:
            CohortMember.objects.get_or_create(cohort_id=locked.cohort_id, user=user)
            for programme in locked.cohort.programmes.order_by("pk"):
                try:
                    enrol(user, programme)
                except ProgrammeUnavailable:
                    continue  # unpublished since: the cohort view shows it
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return locked


def accept_with_new_account(invitation, *, certificate_name, password, notice_version):
    """Create the invitee's account and accept, in one transaction: the address counts as
    confirmed, since the link was opened from its mail. Raises `InvitationError` (code
    "account") when an account already uses the address, `InvitationRefused` as `accept`."""
    try:
        with transaction.atomic():
            user = registration.create_invited_account(
                certificate_name=certificate_name,
                email=invitation.email,
                password=password,
                notice_version=notice_version,
            )
            verification.mark_confirmed(user, invitation.email)
            accept(invitation, user)
    except IntegrityError:
        raise InvitationError(
            _("An account already uses this address: log in to join."), code="account"
        ) from None
    return user


def first_programme(invitation):
    """Where the new member starts: the cohort's first live programme, or None."""
    if invitation.cohort_id is None:
        return None
    return invitation.cohort.programmes.live().order_by("pk").first()


# --- Listing and retention -----------------------------------------------------------------------


def with_status(queryset, status, now=None):
    """Invitations of `queryset` in `status` (one of `STATUSES`)."""
    now = now or timezone.now()
    if status == "accepted":
        return queryset.filter(accepted_at__isnull=False)
    if status == "revoked":
        return queryset.filter(revoked_at__isnull=False, accepted_at__isnull=True)
    if status == "expired":
        return queryset.open().filter(expires_at__lte=now)
    if status == "pending":
        return queryset.pending(now)
    return queryset


def purge(now=None):
    """Delete invitations settled (accepted or revoked) or expired more than
    `PEERPATH_INVITATION_RETENTION_DAYS` ago: they hold a name and an address nobody needs any
    more. The membership an accepted one made stays. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=setting("INVITATION_RETENTION_DAYS"))
    old = Invitation.objects.filter(
        Q(accepted_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lt=cutoff)
    )
    deleted, _by_model = old.delete()
    return deleted
