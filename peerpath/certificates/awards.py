"""Awarding a certificate on recognition of prior learning: a facilitator certified before
PeerPath gets an ordinary certificate, made by the same issuing code as any other (number,
snapshot, PDF, verification, badge), dated when they were first certified.

Who may award for which organisation is `organisations_awardable_by`, the one home of that rule:
superusers for any organisation (or none), an organisation's coordinators, and staff with
"Can award certificates on recognition of prior learning" for the organisations in their scope.
`check_award` states every rule an award must meet, so the coordinators' form and spreadsheet
preview show the same refusals the service gives; `award` makes the certificate, the
`PriorLearningAward` row saying why it exists, and the audit entry, in one transaction.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.verification import has_confirmed_email
from peerpath.organisations import roles
from peerpath.organisations.models import Organisation, OrganisationMembership
from peerpath.organisations.scope import organisations_for

from . import audit, issuing
from .models import Certificate, PriorLearningAward
from .rules import add_months, grace_end
from .snapshot import new_certificate
from .status import CertificateStatus

logger = logging.getLogger(__name__)

AWARD_PERMISSION = "peerpath_certificates.award_certificate"

#: A certificate the holder still holds: a second one for the same programme is refused.
HELD = frozenset(
    {
        CertificateStatus.VALID,
        CertificateStatus.PROVISIONAL,
        CertificateStatus.LAPSED,
        CertificateStatus.SUSPENDED,
    }
)

#: Largest evidence file accepted (bytes).
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
#: The kinds of evidence file accepted, by their first bytes (never by the name they came with).
EVIDENCE_KINDS = (
    (b"%PDF-", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
)
EVIDENCE_NOTE_MAX = 2000


class AwardError(issuing.IssuingError):
    """An award that cannot be made, with a message fit to show the person awarding."""


def organisations_awardable_by(user):
    """The organisations `user` may award certificates for: None means all (and also none, a
    superuser's award for no organisation); otherwise a queryset, empty for most people.

    Coordinators award for the organisations they coordinate. "Can award certificates on
    recognition of prior learning" widens that to the organisations in the holder's staff scope,
    but only as far as the permission reaches: held through an organisation's role group (e.g.
    its coordinators'), it counts for that organisation alone, so a coordinator of A who edits
    for B cannot award for B; held directly or through a group of no organisation, it counts for
    every organisation where they hold a role.
    """
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    if user.is_superuser:
        return None
    coordinated = organisations_for(user, roles.PEOPLE)
    if not user.has_perm(AWARD_PERMISSION):
        return coordinated
    app_label, codename = AWARD_PERMISSION.split(".")
    permission = {"content_type__app_label": app_label, "codename": codename}
    groups = user.groups.filter(**{f"permissions__{k}": v for k, v in permission.items()})
    other_groups = groups
    through_role = Q()
    for field in roles.GROUP_FIELDS.values():
        role_groups = Organisation.objects.filter(**{f"{field}__isnull": False}).values(field)
        other_groups = other_groups.exclude(pk__in=role_groups)
        through_role |= Q(**{f"{field}__in": groups})
    if user.user_permissions.filter(**permission).exists() or other_groups.exists():
        return organisations_for(user, roles.STAFF)
    return Organisation.objects.filter(
        Q(pk__in=coordinated.values("pk")) | Q(pk__in=Organisation.objects.filter(through_role))
    )


def can_award(user):
    """Whether `user` may award for at least one organisation (shows the awards screens)."""
    organisations = organisations_awardable_by(user)
    return organisations is None or organisations.exists()


def may_award_for(user, organisation):
    """Whether `user` may award for `organisation` (None: a superuser's award for none)."""
    organisations = organisations_awardable_by(user)
    if organisations is None:
        return True
    return organisation is not None and organisations.filter(pk=organisation.pk).exists()


def awards_visible_to(user):
    """The awards of the organisations `user` may award for (all, for superusers)."""
    organisations = organisations_awardable_by(user)
    awards = PriorLearningAward.objects.all()
    if organisations is None:
        return awards
    return awards.filter(organisation__in=organisations)


def may_see_evidence(user, award):
    """Staff who may see the certificate (its organisation's, with "view certificate") or who
    may award for the award's organisation may open its evidence file."""
    if not (user.is_authenticated and user.is_active):
        return False
    if awards_visible_to(user).filter(pk=award.pk).exists():
        return True
    if not user.has_perm("peerpath_certificates.view_certificate"):
        return False
    organisations = organisations_for(user)
    return organisations is None or (
        award.certificate.holder_id is not None
        and OrganisationMembership.objects.filter(
            user_id=award.certificate.holder_id, organisation__in=organisations
        ).exists()
    )


def evidence_kind(upload):
    """The extension of an evidence file by its content (".pdf", ".png", ".jpg"), or raise
    `AwardError` when it is too large or not one of those kinds."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise AwardError(
            _("The evidence file is larger than %(size)d MB.")
            % {"size": MAX_EVIDENCE_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    start = upload.read(16)
    upload.seek(0)
    for magic, extension in EVIDENCE_KINDS:
        if start.startswith(magic):
            return extension
    raise AwardError(_("The evidence file must be a PDF, JPG or PNG file."))


def default_expiry(programme, original_issued_on):
    """The expiry an award gets when none is given: the programme's validity from the original
    date (None when its certificates never expire)."""
    months = programme.validity_months
    return add_months(original_issued_on, months) if months else None


def _organisation_refusal(holder, programme, organisation, by):
    if organisation is None:
        if by is not None and by.is_superuser and by.is_active:
            return None
        return _("Choose the organisation the certificate is awarded for.")
    if by is not None and not may_award_for(by, organisation):
        return _("You may not award certificates for this organisation.")
    if not OrganisationMembership.objects.filter(user=holder, organisation=organisation).exists():
        return _("This person is not a member of %(organisation)s.") % {
            "organisation": organisation.name
        }
    if not Organisation.objects.filter(pk=organisation.pk, programmes=programme).exists():
        return _("%(organisation)s does not run %(programme)s.") % {
            "organisation": organisation.name,
            "programme": programme.title,
        }
    return None


def date_refusal(programme, original_issued_on, expires_on, today=None):
    """What is wrong with an award's dates, or None. Without a programme (not known yet), the
    rules that need one are left out."""
    today = today or timezone.localdate()
    if original_issued_on is None:
        return _("Give the date they were originally certified.")
    if original_issued_on > today:
        return _("The original issue date cannot be in the future.")
    if expires_on is None and programme is not None and programme.validity_months:
        return _("Give the expiry date: this programme's certificates expire.")
    if expires_on is not None and expires_on <= original_issued_on:
        return _("The expiry date must be after the original issue date.")
    if expires_on is not None and expires_on <= today:
        return _(
            "The expiry date has passed: an expired certificate would not let them practise. "
            "Award it with the date their current certificate expires, or ask them to renew it "
            "through the programme."
        )
    return None


def _held_refusal(holder, programme):
    latest = issuing.latest_certificate(holder, programme)
    if latest is None:
        return None
    if latest.status in HELD:
        return _("They already hold certificate %(number)s (%(status)s) for this programme.") % {
            "number": latest.number,
            "status": latest.status.label.lower(),
        }
    if latest.status == CertificateStatus.REVOKED:
        return _(
            "Their certificate %(number)s for this programme was revoked, and revocation is "
            "final: a certificate cannot be awarded over it."
        ) % {"number": latest.number}
    return None


def check_award(
    holder,
    programme,
    *,
    organisation,
    original_issued_on,
    expires_on,
    evidence_note,
    by=None,
    dates=True,
):
    """Why this award cannot be made, as a list of messages (empty: it can). `dates=False` leaves
    the dates out, for a caller that could not read them and says so itself."""
    problems = []
    today = timezone.localdate()
    if holder is None or not holder.is_active:
        problems.append(_("This account is closed: certificates go only to active accounts."))
    elif not has_confirmed_email(holder):
        problems.append(
            _(
                "This person has not confirmed their e-mail address, and certificates are only "
                "issued to a confirmed address. Ask them to confirm it, then award it."
            )
        )
    if programme is None:
        problems.append(_("Choose the programme."))
    if holder is not None and programme is not None:
        problems.append(_organisation_refusal(holder, programme, organisation, by))
        problems.append(_held_refusal(holder, programme))
    if programme is not None and dates:
        problems.append(date_refusal(programme, original_issued_on, expires_on, today))
    note = (evidence_note or "").strip()
    if not note:
        problems.append(_("Describe the evidence of their prior certification."))
    elif len(note) > EVIDENCE_NOTE_MAX:
        problems.append(
            _("Keep the evidence note under %(count)d characters.") % {"count": EVIDENCE_NOTE_MAX}
        )
    return [problem for problem in problems if problem]


def issued_at_for(original_issued_on):
    """The certificate's time of issue: noon, local time, on the original date (the date shown
    everywhere stays the same whatever the time zone of the reader)."""
    return timezone.make_aware(datetime.datetime.combine(original_issued_on, datetime.time(12)))


def award(
    holder,
    programme,
    *,
    organisation,
    original_issued_on,
    expires_on,
    evidence_note,
    evidence_file=None,
    by,
):
    """Award `holder` a certificate of `programme` on recognition of prior learning.

    Raises `AwardError` (an `IssuingError`) with the first problem `check_award` finds, or when
    the evidence file is not acceptable; nothing is changed then. The certificate is issued
    dated `original_issued_on` (its number is of that year's sequence), expiring on
    `expires_on`, with the programme's grace period; its PDF is rendered after the transaction
    commits, by the same task as every certificate's.
    """
    programme = programme.specific if programme is not None else None
    evidence_note = (evidence_note or "").strip()
    problems = check_award(
        holder,
        programme,
        organisation=organisation,
        original_issued_on=original_issued_on,
        expires_on=expires_on,
        evidence_note=evidence_note,
        by=by,
    )
    if problems:
        raise AwardError(problems[0])
    if evidence_file:
        evidence_file.name = "evidence" + evidence_kind(evidence_file)
    with transaction.atomic():
        last_cycle = Certificate.objects.filter(holder=holder, programme=programme).aggregate(
            last=Max("cycle")
        )["last"]
        cycle = (last_cycle or 0) + 1
        try:
            with transaction.atomic():
                certificate = new_certificate(
                    holder,
                    programme,
                    cycle=cycle,
                    issued_at=issued_at_for(original_issued_on),
                    expires_on=expires_on,
                    grace_ends_on=grace_end(programme, expires_on),
                )
        except IntegrityError:
            if Certificate.objects.filter(holder=holder, programme=programme, cycle=cycle).exists():
                raise AwardError(
                    _("A certificate of this programme has just been issued to them: reload.")
                ) from None
            raise
        PriorLearningAward.objects.create(
            certificate=certificate,
            organisation=organisation,
            awarded_by=by,
            original_issued_on=original_issued_on,
            evidence_note=evidence_note,
            evidence_file=evidence_file or "",
        )
        audit.record(certificate, audit.AWARD, by=by, reason=evidence_note)
        issuing.schedule_render(certificate)
    logger.info(
        "Certificate %s awarded on prior learning by user %s",
        certificate.number,
        getattr(by, "pk", None),
    )
    return certificate
