"""The impact report's admin page, XLSX and PDF: who may see which organisation's report, bad
periods, the same figures in the page, the spreadsheet and the PDF, and the charts."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from peerpath.coordination import charts, impact
from tests.coordination.impact_world import PERIOD_END, PERIOD_START, build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUARTER = {"period": "quarter", "anchor": "2026-05-15"}


@pytest.fixture
def world(organisation, other_organisation, programme, other_programme):
    return build_world(
        organisation,
        other_organisation,
        programme,
        other_programme,
        organisation.index_page,
        other_organisation.index_page,
    )


def report_url(organisation, name="report"):
    return reverse(f"coordination_impact:{name}", args=[organisation.pk])


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report", "xlsx", "pdf"])
def test_a_coordinator_of_another_organisation_gets_a_404(
    client, other_coordinator, organisation, name
):
    client.force_login(other_coordinator)
    assert client.get(report_url(organisation, name), QUARTER).status_code == 404


def test_a_coordinator_sees_their_organisations_report(client, coordinator, organisation, world):
    client.force_login(coordinator)
    response = client.get(report_url(organisation), QUARTER)
    assert response.status_code == 200
    assert response.context["report"].sessions == 2


@pytest.mark.parametrize("who", ["editor", "safeguarding_lead"])
def test_staff_who_do_not_coordinate_are_refused(client, organisation, who, request):
    client.force_login(request.getfixturevalue(who))
    # Wagtail's admin answers PermissionDenied with a redirect to its home page.
    assert client.get(reverse("coordination_impact:index")).status_code in {302, 403}
    assert client.get(report_url(organisation), QUARTER).status_code in {302, 403}


def test_learners_and_anonymous_visitors_never_reach_the_report(client, organisation, member):
    assert client.get(report_url(organisation)).status_code == 302  # to the log-in page
    client.force_login(member)
    assert client.get(report_url(organisation)).status_code in {302, 403}


def test_the_chooser_offers_only_coordinated_organisations(
    client, coordinator, organisation, other_organisation
):
    client.force_login(coordinator)
    response = client.get(reverse("coordination_impact:index"))
    assert response.status_code == 302  # one organisation: straight to its report
    assert response["Location"].startswith(report_url(organisation))
    response = client.get(
        reverse("coordination_impact:index"), {"organisation": other_organisation.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]


def test_a_superuser_chooses_among_all_organisations(
    client, organisation, other_organisation, world
):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("coordination_impact:index"))
    assert list(response.context["form"].fields["organisation"].queryset) == sorted(
        [organisation, other_organisation], key=lambda o: o.name
    )
    response = client.get(
        reverse("coordination_impact:index"), {"organisation": organisation.pk, **QUARTER}
    )
    assert response.status_code == 302
    assert "anchor=2026-05-15" in response["Location"]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"},
        {"period": "custom", "start": "2020-01-01", "end": "2026-01-01"},
        {"period": "custom", "start": "2026-02-30", "end": "2026-03-01"},
        {"period": "custom"},
        {"period": "fortnight"},
        {"period": "month", "anchor": "not-a-date"},
    ],
)
def test_a_bad_period_is_a_form_error_never_a_500(client, coordinator, organisation, query):
    client.force_login(coordinator)
    response = client.get(report_url(organisation), query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "report" not in response.context or response.context["report"] is None
    download = client.get(report_url(organisation, "xlsx"), query)
    assert download.status_code == 302


# --- The same figures everywhere ----------------------------------------------------------------


def xlsx_figures(content):
    workbook = load_workbook(io.BytesIO(content))
    summary = workbook["Summary"]
    return {row[0]: row[1] for row in summary.iter_rows(min_row=2, values_only=True)}, workbook


def test_the_xlsx_has_the_pages_figures(client, coordinator, organisation, world):
    client.force_login(coordinator)
    page = client.get(report_url(organisation), QUARTER).context["report"]
    response = client.get(report_url(organisation, "xlsx"), QUARTER)
    assert response["Content-Disposition"].endswith('.xlsx"')
    figures, workbook = xlsx_figures(response.content)
    for headline in page.headlines():
        assert figures[str(headline.label)] == pytest.approx(float(headline.value))
    assert workbook["Signposting given"]["B2"].value == "fewer than 5"
    about = workbook["Report"]
    assert about["B3"].value.date() == PERIOD_START
    assert about["B4"].value.date() == PERIOD_END
    assert about["B3"].number_format == "yyyy-mm-dd"
    months = workbook["Sessions held by month"]
    assert months["A2"].is_date


def test_a_formula_in_a_category_name_stays_text(client, coordinator, organisation, world):
    world["housing"].name = "=HYPERLINK(1)"
    world["housing"].save()
    client.force_login(coordinator)
    _figures, workbook = xlsx_figures(client.get(report_url(organisation, "xlsx"), QUARTER).content)
    assert workbook["Signposting given"]["A2"].value == "'=HYPERLINK(1)"


def test_the_pdfs_text_has_the_same_figures_as_the_xlsx(client, coordinator, organisation, world):
    client.force_login(coordinator)
    figures, workbook = xlsx_figures(client.get(report_url(organisation, "xlsx"), QUARTER).content)
    response = client.get(report_url(organisation, "pdf"), QUARTER)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert organisation.name in text
    assert "Quarter 2, 2026" in text
    for label, value in figures.items():
        shown = f"{value:.1f}" if "hours" in label else str(value)
        assert f"{label} {shown}" in text, label
    assert "Housing fewer than 5" in text
    assert "Responses fewer than 5" in text
    assert "fewer than 5" in text and "Generated on" in text


def test_the_pdf_carries_the_organisations_logo(client, coordinator, organisation, world):

    logo = get_image_model().objects.create(title="Logo", file=get_test_image_file())
    organisation.logo = logo
    organisation.save()
    client.force_login(coordinator)
    response = client.get(report_url(organisation, "pdf"), QUARTER)
    reader = PdfReader(io.BytesIO(response.content))
    assert any(page.images for page in reader.pages)


# --- Charts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "draw", [charts.sessions_chart, charts.attendances_chart, charts.certification_chart]
)
def test_charts_are_valid_svg_without_script_and_the_same_each_time(world, organisation, draw):
    report = impact.impact_report(
        organisation, impact.period_for(impact.QUARTER, "2026-05-15"), compare=False
    )
    svg = draw(report)
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted
    assert root.tag.endswith("svg")
    assert root.get("aria-label") and root.get("role") == "img"
    assert root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "<script" not in svg and "<?xml" not in svg and "<!--" not in svg
    assert root.get("width") and root.get("height")
    assert draw(report) == svg
