"""Awarding certificates on recognition of prior learning from a spreadsheet: reading each row
(an address, a programme by credential code or title, two dates, the evidence) into an award, and
awarding every ready row at once, or none.

What an award must meet is `certificates.awards.check_award`'s; this module adds what only a list
has: cells to read (dates in two spellings, a programme by name), rows that repeat one another,
and cells a spreadsheet would run as formulas. The preview (`award_forms.AwardRowFormSet`) shows
each row's problems beside it and offers to award only when every row not skipped is ready.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from peerpath.certificates import awards
from peerpath.organisations.models import OrganisationMembership
from peerpath.training.models import ProgrammePage

from .uploads import looks_like_formula

#: The columns of an awards spreadsheet, in `read_upload`'s canonical names.
COLUMNS = ["email", "programme", "issued_on", "expires_on", "evidence"]
#: Dates as people type them: ISO, or day first as in the UK.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_date(text):
    """A date written `YYYY-MM-DD` or `DD/MM/YYYY`, None for a blank; ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def programmes_run_by(organisation):
    """The published programmes `organisation` runs (every one, for no organisation)."""
    programmes = ProgrammePage.objects.live().order_by("title")
    if organisation is None:
        return programmes
    return programmes.filter(organisations=organisation)


def find_programme(text, programmes):
    """The programme of `programmes` whose credential code or title is `text` (any case)."""
    text = (text or "").strip()
    if not text:
        return None
    return programmes.filter(Q(credential_code__iexact=text) | Q(title__iexact=text)).first()


def holder_for(organisation, email):
    """The active or closed account with `email` (any case) that belongs to `organisation`
    (any account, for no organisation), or None."""
    users = get_user_model()._default_manager.alias(address=Lower("email"))
    users = users.filter(address=(email or "").strip().lower())
    if organisation is not None:
        members = OrganisationMembership.objects.filter(organisation=organisation)
        users = users.filter(pk__in=members.values("user_id"))
    return users.first()


def _date_cell(row, column, label, problems):
    """The date in `row[column]`; a problem (and None) when it cannot be read. A blank is None,
    which `check_award` explains."""
    try:
        return parse_date(row.get(column)), True
    except ValueError:
        problems.append(
            _("%(label)s “%(value)s” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY.")
            % {"label": label, "value": row.get(column)}
        )
        return None, False


def check_row(organisation, row, *, by, programmes):
    """One row's award (the arguments of `awards.award`) and its problems."""
    problems = []
    if any(looks_like_formula(str(row.get(column) or "")) for column in COLUMNS):
        problems.append(
            _(
                "A cell starts with =, +, -, @ or a tab, as a spreadsheet formula does: remove "
                "that character."
            )
        )
    email = (row.get("email") or "").strip()
    holder = holder_for(organisation, email) if email else None
    if not email:
        problems.append(_("The e-mail address is missing."))
    elif holder is None:
        problems.append(
            _("No member of %(organisation)s has this e-mail address.")
            % {"organisation": organisation.name}
            if organisation is not None
            else _("No account has this e-mail address.")
        )
    programme = find_programme(row.get("programme"), programmes)
    if programme is None:
        problems.append(
            _("“%(value)s” is not a programme %(organisation)s runs: give its code or title.")
            % {
                "value": row.get("programme") or "",
                "organisation": organisation.name if organisation else _("PeerPath"),
            }
        )
    issued_on, issued_read = _date_cell(row, "issued_on", _("Issue date"), problems)
    expires_on, expiry_read = _date_cell(row, "expires_on", _("Expiry date"), problems)
    award = {
        "holder": holder,
        "programme": programme,
        "organisation": organisation,
        "original_issued_on": issued_on,
        "expires_on": expires_on,
        "evidence_note": (row.get("evidence") or "").strip(),
    }
    if holder is not None and programme is not None:
        problems.extend(awards.check_award(**award, by=by, dates=issued_read and expiry_read))
    else:
        if issued_read and expiry_read:
            problems.append(awards.date_refusal(programme, issued_on, expires_on))
        if not award["evidence_note"]:
            problems.append(_("Describe the evidence of their prior certification."))
    return award, [problem for problem in problems if problem]


def check_rows(organisation, rows, *, by):
    """Each row (a dict of `COLUMNS`, `line` and `skip`) checked: a list of dicts with the row's
    `award`, `problems` and `skip`. A row repeating an earlier one (same person, same programme)
    is a problem, skipped or not, so the list says which one counts."""
    programmes = programmes_run_by(organisation)
    checked, seen = [], {}
    for row in rows:
        award, problems = check_row(organisation, row, by=by, programmes=programmes)
        holder, programme = award["holder"], award["programme"]
        if holder is not None and programme is not None and not row.get("skip"):
            key = (holder.pk, programme.pk)
            if key in seen:
                problems.insert(
                    0,
                    _("The same person and programme as line %(line)s: skip one of them.")
                    % {"line": seen[key]},
                )
            else:
                seen[key] = row.get("line") or "?"
        checked.append({"award": award, "problems": problems, "skip": bool(row.get("skip"))})
    return checked


def award_rows(checked, *, by):
    """Award every row not skipped, all in one transaction: one refusal (e.g. someone certified
    them meanwhile) and none is awarded. PDFs are rendered once it commits."""
    with transaction.atomic():
        return [
            awards.award(**row["award"], by=by)
            for row in checked
            if not row["skip"] and not row["problems"]
        ]


def summary(checked):
    """A sentence on the preview: how many rows are ready, need a fix or are skipped."""
    ready = sum(1 for row in checked if not row["skip"] and not row["problems"])
    fix = sum(1 for row in checked if not row["skip"] and row["problems"])
    skipped = sum(1 for row in checked if row["skip"])
    return _("%(ready)d ready, %(fix)d to fix, %(skipped)d skipped.") % {
        "ready": ready,
        "fix": fix,
        "skipped": skipped,
    }
