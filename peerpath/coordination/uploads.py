"""Reading a coordinator's spreadsheet upload (CSV or XLSX) into rows, with tablib.

Shared by invitations and awards on prior learning: each says which columns it needs
(`read_upload(file, columns)`), gets a list of row dicts back (values stripped, keys the canonical
column names, `line` the row's line in the file), and checks the rows itself in a preview formset
before anything is done. A file that cannot be read at all, has none of the needed columns or is
too long raises `UploadError` with a message fit to show; nothing is half-read.
"""

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: Most rows one upload may hold: a preview longer than this is not checked by anyone.
MAX_ROWS = 1000
#: Largest file read (bytes).
MAX_BYTES = 2 * 1024 * 1024

#: Other spellings of column names people use, by canonical name.
ALIASES = {
    "email": {"email", "e-mail", "email address", "e-mail address", "mail"},
    "name": {"name", "full name", "learner", "learner name", "holder", "holder name"},
}

# A cell beginning with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UploadError(Exception):
    """The upload as a whole cannot be used (the message says why and what to do)."""


def canonical(header):
    header = " ".join(str(header or "").replace("_", " ").split()).lower()
    for name, spellings in ALIASES.items():
        if header in spellings:
            return name
    return header.replace(" ", "_")


def looks_like_formula(value):
    """True for a cell a spreadsheet would run as a formula (a leading '-' before a digit, too)."""
    return bool(value) and value.startswith(FORMULA_STARTS)


def _dataset(upload):
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadError(
            _("The file is larger than %(size)d MB: split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise UploadError(_("The file is empty."))
    name = (getattr(upload, "name", "") or "").lower()
    try:
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(data, format="xlsx")
        text = data.decode("utf-8-sig")
        return tablib.Dataset().load(text, format="csv")
    except UnicodeDecodeError:
        raise UploadError(
            _("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
        ) from None
    except Exception:  # noqa: BLE001 — tablib raises many kinds for a file it cannot parse
        raise UploadError(_("The file could not be read as CSV or XLSX.")) from None


def read_upload(upload, columns, *, required=("email",), max_rows=MAX_ROWS):
    """Rows of `upload` as dicts of `columns` (canonical names), plus `line` (1 = the header).

    Raises `UploadError` when a required column is missing, the file has no rows, or more than
    `max_rows`. Columns beyond `columns` are ignored; blank lines are skipped.
    """
    dataset = _dataset(upload)
    headers = [canonical(header) for header in (dataset.headers or [])]
    missing = [column for column in required if column not in headers]
    if missing:
        raise UploadError(
            _("The first row must name the columns: %(expected)s. This file has: %(found)s.")
            % {
                "expected": ", ".join(columns),
                "found": ", ".join(str(h) for h in dataset.headers or []) or _("no header row"),
            }
        )
    rows = []
    for index, values in enumerate(dataset, start=2):
        cells = dict(zip(headers, values, strict=False))
        row = {column: str(cells.get(column) or "").strip() for column in columns}
        if not any(row.values()):
            continue
        row["line"] = index
        rows.append(row)
        if len(rows) > max_rows:
            raise UploadError(
                ngettext(
                    "A file may hold at most %(count)d row: split this one.",
                    "A file may hold at most %(count)d rows: split this one.",
                    max_rows,
                )
                % {"count": max_rows}
            )
    if not rows:
        raise UploadError(_("The file has a header row but no rows under it."))
    return rows
