"""The impact report as documents: what the page and the PDF show (`report_context`), the XLSX
workbook and the PDF a coordinator sends to a funder.

All three read the same `ImpactReport` and the same rows (`figure_rows`), so the page, the
spreadsheet and the PDF cannot disagree; the charts are the same SVG in the page and the PDF.
Small numbers are shown as `SmallCount.shown` ("fewer than 5") in all three.
"""

import datetime
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from peerpath.certificates.pdf import font_urls, html_to_pdf, rendition_url
from peerpath.meetings.quality import MIN_RESPONSES, statement_labels
from peerpath.spreadsheets import spreadsheet_cell

from . import charts

#: The organisation's logo in the PDF: at most this size, kept in proportion.
LOGO_SPEC = "max-480x160"
DATE_FORMAT = "yyyy-mm-dd"


def feedback_rows(report):
    """(statement, average or the words shown instead) for each feedback statement."""
    feedback = report.feedback
    shown = report.feedback_responses.shown
    if feedback.suppressed:
        return [(label, shown) for label in statement_labels()]
    return [(label, average) for label, average in feedback.statements]


def figure_rows(report):
    """Every table of the report as (title, headings, rows): what the page, the XLSX sheets and
    the PDF print, in that order."""
    headlines = report.headlines()
    compared = report.previous is not None
    return [
        (
            _("Summary"),
            [_("Figure"), _("This period"), *([_("Previous period")] if compared else [])],
            [[str(h.label), h.value, *([h.previous] if compared else [])] for h in headlines],
        ),
        (
            _("Sessions held by month"),
            [
                _("Month"),
                *(label for label, _count in report.format_rows()),
                _("Sessions"),
                _("Attendances"),
            ],
            [
                [
                    month.month,
                    *(month.by_format.get(choice, 0) for choice in charts.FORMAT_COLOURS),
                    month.sessions,
                    month.attendances,
                ]
                for month in report.months
            ],
        ),
        (
            _("Sessions held by format"),
            [_("Format"), _("Sessions")],
            [[str(label), count] for label, count in report.format_rows()],
        ),
        (
            _("Participants"),
            [_("Figure"), _("Count")],
            [
                [_("Attendances"), report.attendances],
                [_("Attendances by returning participants"), report.returning_attendances],
                [_("Participants (estimated)"), report.unique_participants],
            ],
        ),
        (
            _("Certification at the end of the period"),
            [_("State"), _("Members")],
            [[str(label), count] for label, count in report.certification_rows()],
        ),
        (
            _("Training"),
            [_("Programme"), _("Completions")],
            [
                *([title, count] for title, count in report.completions_by_programme),
                [_("All programmes"), report.completions],
                [_("Training hours"), report.training_hours],
                [_("Continuing-education hours"), report.ce_hours],
                [_("Members logging continuing education"), report.ce_learners],
            ],
        ),
        (
            _("Signposting given"),
            [_("Category"), _("Times")],
            [[name, count.shown] for name, count in report.signposting],
        ),
        (
            _("Participants' feedback"),
            [_("Statement"), _("Average (1 to 5)")],
            [[_("Responses"), report.feedback_responses.shown], *feedback_rows(report)],
        ),
    ]


def suppression_note():
    return _(
        "To protect participants' privacy, signposting and feedback figures below %(number)d are "
        "shown as “fewer than %(number)d”. Participants are counted, never named: the estimate of "
        "participants counts those who booked and came, once each while their contact details "
        "are kept, and walk-ins only in attendances."
    ) % {"number": MIN_RESPONSES}


def report_context(report, *, chart_size=charts.WIDE):
    """What the page and the PDF both show: the headlines, the charts, the tables, the note."""
    return {
        "report": report,
        "headlines": report.headlines(),
        "tables": figure_rows(report),
        "sessions_chart": charts.sessions_chart(report, chart_size),
        "attendances_chart": charts.attendances_chart(report, chart_size),
        "certification_chart": charts.certification_chart(report, chart_size),
        "suppression_note": suppression_note(),
    }


def filename(report, extension):
    period = report.period
    return (
        f"impact-{report.organisation.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"
    )


# --- XLSX ---------------------------------------------------------------------------------------


def workbook_bytes(report, generated_on=None):
    """The report as an XLSX workbook: a sheet per table, every cell through `spreadsheet_cell`,
    dates as dates."""
    generated_on = generated_on or timezone.localdate()
    workbook = Workbook()
    about = workbook.active
    about.title = _("Report")[:31]
    for label, value in [
        (_("Organisation"), report.organisation.name),
        (_("Period"), report.period.label),
        (_("From"), report.period.start),
        (_("To"), report.period.end),
        (_("Generated on"), generated_on),
        (_("Note"), suppression_note()),
    ]:
        about.append([spreadsheet_cell(str(label)), spreadsheet_cell(value)])
    for row in about.iter_rows(min_col=2, max_col=2):
        for cell in row:
            if cell.is_date:
                cell.number_format = DATE_FORMAT
    for title, headings, rows in figure_rows(report):
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([spreadsheet_cell(str(heading)) for heading in headings])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([spreadsheet_cell(cell_value(value)) for value in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.is_date:
                    cell.number_format = DATE_FORMAT
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def cell_value(value):
    """Numbers and dates stay as they are; anything else (labels, "fewer than 5") is text."""
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float | datetime.date):
        return value
    return str(value)


# --- PDF ----------------------------------------------------------------------------------------


def pdf_html(report, generated_on=None):
    context = report_context(report, chart_size=charts.WIDE)
    context.update(
        fonts=font_urls(),
        # None when there is no logo or it cannot be read: the report goes out without it.
        logo_url=rendition_url(report.organisation.logo, LOGO_SPEC),
        generated_on=generated_on or timezone.localdate(),
    )
    return render_to_string("coordination/impact/pdf.html", context)


def pdf_bytes(report, generated_on=None):
    """The report as an A4 PDF, with the organisation's logo and name, for a funder."""
    return html_to_pdf(pdf_html(report, generated_on))
