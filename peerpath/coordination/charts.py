"""The impact report's charts, drawn on the server as SVG with pygal: the page and the PDF show
the same picture, and nothing runs in the browser.

Each function takes an `ImpactReport` (or its figures) and returns an SVG string: no XML
declaration (it sits inside HTML), an explicit size, the house colours, a `<title>` and an
`aria-label` naming what it shows (the page prints the same figures in a table beside it), no
script, no comments and no ids but the chart's own, so the same figures always draw the same
bytes.
"""

from django.utils.translation import gettext as _
from pygal import HorizontalBar, Line, StackedBar
from pygal.style import Style

from peerpath.workshops.choices import Format

#: The house colours (peerpath/static/peerpath/css: brand, link, warning, success, error, muted).
BRAND, BLUE, AMBER, GREEN, RED, GREY = (
    "#1f5f5b",
    "#0b5a8a",
    "#7a4b00",
    "#1d6b32",
    "#a3161c",
    "#4a5560",
)
FORMAT_COLOURS = {
    Format.SUPPORT_GROUP: BRAND,
    Format.WORKSHOP: BLUE,
    Format.MENTORING: AMBER,
    Format.ONLINE_GROUP: GREY,
}
#: The certification chart's rows, in `ImpactReport.certification_rows()` order.
CERTIFICATION_COLOURS = (GREEN, AMBER, BLUE, RED, GREY)
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

WIDE = {"width": 640, "height": 300}
SMALL = {"width": 280, "height": 90}


def house_style(colours):
    return Style(
        colors=tuple(colours),
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1b1f23",
        foreground_strong="#1b1f23",
        foreground_subtle="#c9d1d0",
        font_family=FONT,
        title_font_family=FONT,
        label_font_family=FONT,
        major_label_font_family=FONT,
        legend_font_family=FONT,
        value_font_family=FONT,
        value_label_font_family=FONT,
        tooltip_font_family=FONT,
        title_font_size=15,
        legend_font_size=12,
        label_font_size=11,
        major_label_font_size=11,
    )


def static_svg(name, label):
    """An xml filter: the chart as a static, labelled image (see the module's docstring)."""

    def clean(root):
        for parent in root.iter():
            for child in list(parent):
                if callable(child.tag) or str(child.tag).endswith("script"):
                    parent.remove(child)  # comments (one dated) and pygal's config script
        for element in root.iter():
            if element is not root and "id" in element.attrib:
                del element.attrib["id"]  # pygal's legend ids would repeat between charts
        root.set("id", f"chart-{name}")
        root.set("role", "img")
        root.set("aria-label", label)
        return root

    return clean


def make_chart(kind, name, title, colours, size, **options):
    chart = kind(
        js=[],
        disable_xml_declaration=True,
        explicit_size=True,
        style=house_style(colours),
        title=title,
        print_values=False,
        **size,
        **options,
    )
    chart.uuid = name  # pygal scopes its CSS by this id; a fixed one keeps the output stable
    chart.add_xml_filter(static_svg(name, title))
    return chart


def sessions_chart(report, size=WIDE):
    """Sessions held per month, stacked by workshop format (bar)."""
    chart = make_chart(
        StackedBar,
        "impact-sessions",
        _("Sessions held per month, by format"),
        FORMAT_COLOURS.values(),
        size,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        x_label_rotation=0 if len(report.months) <= 12 else 45,
        min_scale=1,
    )
    chart.x_labels = [month.label for month in report.months]
    for choice in FORMAT_COLOURS:
        chart.add(str(choice.label), [month.by_format.get(choice, 0) for month in report.months])
    return chart.render(is_unicode=True)


def attendances_chart(report, size=WIDE):
    """Attendances per month (line)."""
    chart = make_chart(
        Line,
        "impact-attendances",
        _("Attendances per month"),
        [BRAND],
        size,
        show_legend=False,
        x_label_rotation=0 if len(report.months) <= 12 else 45,
        min_scale=1,
    )
    chart.x_labels = [month.label for month in report.months]
    chart.add(_("Attendances"), [month.attendances for month in report.months])
    return chart.render(is_unicode=True)


def certification_chart(report, size=WIDE):
    """Members by certification state at the period's end (horizontal bar, one colour each)."""
    rows = report.certification_rows()
    chart = make_chart(
        HorizontalBar,
        "impact-certification",
        _("Facilitators by certification state"),
        CERTIFICATION_COLOURS,
        size,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        min_scale=1,
    )
    for label, count in rows:
        chart.add(str(label), [count])
    return chart.render(is_unicode=True)


def sessions_sparkline(report, size=SMALL):
    """The dashboard's small bar chart of sessions held per month, without axes or legend."""
    chart = make_chart(
        StackedBar,
        "dashboard-sessions",
        _("Sessions held per month, last 12 months"),
        [BRAND],
        size,
        show_legend=False,
        show_x_labels=False,
        show_y_labels=False,
        show_y_guides=False,
        margin=2,
    )
    chart.add(_("Sessions"), [month.sessions for month in report.months])
    return chart.render(is_unicode=True)
