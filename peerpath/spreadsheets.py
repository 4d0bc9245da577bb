"""Spreadsheet exports (CSV and XLSX) that are safe to open and cheap to produce.

`spreadsheet_cell` is the one place a value becomes a spreadsheet cell: every export in PeerPath
goes through it, so a learner who names themselves "=HYPERLINK(…)" is shown as text, never run as
a formula (OWASP CSV injection), in CSV and XLSX alike. Views exporting with Wagtail's
`SpreadsheetExportMixin` get it from `FormulaSafeExportMixin`; `ValuesExportMixin` includes it.
"""

import csv

from openpyxl import Workbook
from wagtail.admin.views.mixins import Echo, ExcelDateFormatter

#: Rows fetched per round trip when exporting: memory stays flat however long the export is.
EXPORT_CHUNK_SIZE = 2000
#: What a spreadsheet program would run as a formula at the start of a cell (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A value as a CSV or XLSX cell: text a spreadsheet would take for a formula (a holder could
    name themselves "=HYPERLINK(…)") gets a leading apostrophe, so it stays text in the file and
    in any copy of it (an XLSX saved again as CSV, say). Anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """For views exporting with Wagtail's `SpreadsheetExportMixin` (index and report views):
    every value passes `spreadsheet_cell`. Wagtail's CSV rows (`write_csv_row`) and XLSX cells
    (`generate_xlsx_row`) both take their values from `preprocess_field_value`."""

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_cell(super().preprocess_field_value(field, value, export_format))


class ValuesExportMixin(FormulaSafeExportMixin):
    """Wagtail's spreadsheet export (same columns and headings), read straight from the
    filtered queryset with `values_list()` in chunks of `EXPORT_CHUNK_SIZE`: no model instances
    and no listing context, so memory stays flat however long the export is.

    CSV is streamed. XLSX is written row by row to a write-only workbook from the same rows; the
    finished (compressed) file is held in memory to be sent, the rows never are.
    """

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.as_spreadsheet(self.get_export_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_export_queryset(self):
        return self.get_queryset()

    def get_export_sources(self):
        """`list_export` field → (what `values_list()` reads, a function formatting it), for
        fields not read as named (by default "a.b" is read as "a__b", unformatted)."""
        return {}

    def export_rows(self, queryset):
        """The export's rows, each a list of values in `list_export` order (None for blanks)."""
        sources = self.get_export_sources()
        columns = [
            sources.get(field, (field.replace(".", "__"), None)) for field in self.list_export
        ]
        formats = [format_value for _source, format_value in columns]
        rows = queryset.values_list(*(source for source, _format in columns))
        for row in rows.iterator(chunk_size=EXPORT_CHUNK_SIZE):
            yield [
                value if value is None or format_value is None else format_value(value)
                for value, format_value in zip(row, formats, strict=True)
            ]

    def stream_csv(self, queryset):
        writer = csv.writer(Echo())
        yield writer.writerow([self.get_heading(queryset, field) for field in self.list_export])
        for row in self.export_rows(queryset):
            yield writer.writerow([spreadsheet_cell(value) for value in row])

    def write_xlsx(self, queryset, output):
        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        for row in self.export_rows(queryset):
            row_dict = dict(zip(self.list_export, row, strict=True))
            # Wagtail's `generate_xlsx_row` passes each value through `preprocess_field_value`.
            worksheet.append(self.generate_xlsx_row(worksheet, row_dict, date_format=date_format))
        workbook.save(output)
