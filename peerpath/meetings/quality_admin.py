"""The Quality pages of the Sessions admin: the quality report (with its CSV and XLSX export) and
the participants' comments, which staff may release to the facilitators.

Thin: every figure, the suppression of small numbers and who sees what are `quality.py`'s. Staff
see their own organisations' sessions only; another organisation's comment is a 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton

from peerpath.form_fields import ModelChoiceField
from peerpath.organisations.roles import SESSIONS
from peerpath.organisations.scope import visible_organisations
from peerpath.spreadsheets import FormulaSafeExportMixin

from . import quality
from .admin_forms import workshops_for
from .choices import ConcernStatus
from .models import FeedbackResponse

#: The report table's heading, by grouping.
TABLE_TITLES = {
    quality.WORKSHOP: _("By workshop"),
    quality.FACILITATOR: _("By facilitator, in name order"),
    quality.MONTH: _("By month"),
}
#: Comments shown per page.
COMMENTS_PER_PAGE = 20


class QualityFilterForm(forms.Form):
    """The report's filters: blank dates mean the last three months up to today."""

    organisation = ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("All your organisations"),
    )
    workshop = ModelChoiceField(
        label=_("Workshop"), queryset=None, required=False, empty_label=_("All workshops")
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Sessions starting on or after this day. Blank: three months ago."),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Sessions starting on or before this day. Blank: today."),
    )
    group_by = forms.ChoiceField(
        label=_("Group by"), choices=quality.GROUP_BY_CHOICES, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible_organisations(user, SESSIONS).order_by(
            "name"
        )
        self.fields["workshop"].queryset = workshops_for(user)

    def clean(self):
        cleaned = super().clean()
        start, end = quality.default_period()
        cleaned["date_from"] = cleaned.get("date_from") or start
        cleaned["date_to"] = cleaned.get("date_to") or end
        cleaned["group_by"] = cleaned.get("group_by") or quality.WORKSHOP
        if "date_from" not in self.errors and "date_to" not in self.errors:
            if cleaned["date_from"] > cleaned["date_to"]:
                self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned


def open_concerns_url(user):
    """The open safeguarding concerns, where the summary's count links to (for staff who may
    see them)."""
    if not user.has_perm("peerpath_meetings.view_safeguardingconcern"):
        return None
    return f"{reverse('meetings_concerns:index')}?status={ConcernStatus.OPEN}"


class QualityReportView(
    FormulaSafeExportMixin, SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Sessions held, attendance, returning participants, feedback (suppressed below
    `quality.MIN_RESPONSES` answers), signposting, safeguarding concerns (counts and status
    only) and fidelity, per workshop, facilitator or month. Comments never appear here."""

    template_name = "meetings/admin/quality.html"
    page_title = _("Quality")
    header_icon = "pick"
    export_filename = "quality"
    #: The export's fixed columns; each signposting category and fidelity check adds one.
    list_export = [
        "label",
        "sessions",
        "attendance",
        "mean_attendance",
        "returning",
        "debriefs_missing",
        "responses",
        "felt_safe",
        "felt_heard",
        "would_return",
        "feedback_note",
        "concerns",
        *(f"concerns_{status}" for status in ConcernStatus.values),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not quality.can_view_quality(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    @cached_property
    def form(self):
        return QualityFilterForm(self.request.GET, user=self.request.user)

    @cached_property
    def report(self):
        """(summary row, grouped rows), or None when the filters are not valid."""
        if not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        sessions = quality.sessions_for_report(
            self.request.user,
            data["date_from"],
            data["date_to"],
            organisation=data["organisation"],
            workshop=data["workshop"],
        )
        return quality.quality_totals(sessions), quality.quality_report(sessions, data["group_by"])

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Comments"), url=reverse("meetings_quality:comments"), icon_name="comment"
            )
        ]

    @cached_property
    def show_export_buttons(self):
        return self.report is not None

    def get(self, request, *args, **kwargs):
        if self.is_export and self.report is not None:
            return self.as_spreadsheet(self.export_rows(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def export_rows(self):
        """One dict per row, the summary first, with a column per signposting category and
        fidelity check; averages below the threshold are blank, with a note saying why."""
        summary, rows = self.report
        categories = list(summary.signposting)
        checks = list(summary.fidelity)
        group_label = dict(quality.GROUP_BY_CHOICES)[self.form.cleaned_data["group_by"]]
        self.list_export = [
            *type(self).list_export,
            *(f"signposting_{number}" for number in range(len(categories))),
            *(f"fidelity_{number}" for number in range(len(checks))),
        ]
        self.export_headings = {
            "label": group_label,
            "sessions": _("Sessions held"),
            "attendance": _("Attendance"),
            "mean_attendance": _("Mean attendance per session"),
            "returning": _("Returning participants"),
            "debriefs_missing": _("Debriefs missing"),
            "responses": _("Feedback responses"),
            **{
                name: label
                for name, label in zip(
                    FeedbackResponse.STATEMENTS, quality.statement_labels(), strict=True
                )
            },
            "feedback_note": _("Feedback note"),
            "concerns": _("Safeguarding concerns"),
            **{
                f"concerns_{status}": _("Concerns: %(status)s") % {"status": status.label}
                for status in ConcernStatus
            },
            **{
                f"signposting_{number}": _("Signposting: %(category)s") % {"category": name}
                for number, name in enumerate(categories)
            },
            **{
                f"fidelity_{number}": _("Fidelity (%% of debriefs): %(check)s") % {"check": check}
                for number, check in enumerate(checks)
            },
        }
        return [export_row(row, categories, checks) for row in [summary, *rows]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            min_responses=quality.MIN_RESPONSES,
            concerns_url=open_concerns_url(self.request.user),
            statement_labels=quality.statement_labels(),
        )
        if self.report is not None:
            summary, rows = self.report
            categories = list(summary.signposting)
            context.update(
                summary=summary,
                # Each row with its count for every category the period's debriefs used.
                rows=[(row, [row.signposting.get(name, 0) for name in categories]) for row in rows],
                categories=categories,
                group_label=dict(quality.GROUP_BY_CHOICES)[self.form.cleaned_data["group_by"]],
                table_title=TABLE_TITLES[self.form.cleaned_data["group_by"]],
                period=(self.form.cleaned_data["date_from"], self.form.cleaned_data["date_to"]),
                signposting_chart=bar_chart(summary.signposting.items()),
                fidelity_chart=[
                    (figure.check, figure.percent, figure.ticked, figure.asked)
                    for figure in summary.fidelity_figures
                ],
            )
        return context


def bar_chart(counts):
    """(label, count, width as a percentage of the largest count) for a horizontal bar chart."""
    counts = list(counts)
    largest = max((count for _label, count in counts), default=0)
    return [
        (label, count, round(100 * count / largest) if largest else 0) for label, count in counts
    ]


def export_row(row, categories, checks):
    feedback = row.feedback
    note = ""
    if feedback.suppressed:
        note = _("Not enough responses yet (%(count)d of %(needed)d)") % {
            "count": feedback.count,
            "needed": feedback.needed,
        }
    values = {
        "label": row.label,
        "sessions": row.sessions,
        "attendance": row.attendance,
        "mean_attendance": row.mean_attendance,
        "returning": row.returning,
        "debriefs_missing": row.debriefs_missing,
        "responses": feedback.count,
        "felt_safe": feedback.felt_safe,
        "felt_heard": feedback.felt_heard,
        "would_return": feedback.would_return,
        "feedback_note": note,
        "concerns": row.concerns,
        **{
            f"concerns_{status}": row.concerns_by_status.get(status, 0)
            for status in ConcernStatus.values
        },
        **{
            f"signposting_{number}": row.signposting.get(name, 0)
            for number, name in enumerate(categories)
        },
    }
    for number, check in enumerate(checks):
        figure = row.fidelity.get(check)
        values[f"fidelity_{number}"] = figure.percent if figure else None
    return values


class CommentsView(WagtailAdminTemplateMixin, TemplateView):
    """The comments participants left on the staff's organisations' sessions, newest first, each
    with a button to release it to the session's facilitators or withdraw it."""

    template_name = "meetings/admin/quality_comments.html"
    page_title = _("Feedback comments")
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not quality.can_view_quality(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("meetings_quality:index"), "label": _("Quality")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(quality.comments_for_staff(self.request.user), COMMENTS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(
            page_obj=page,
            elided_page_range=paginator.get_elided_page_range(page.number),
            can_release=quality.can_release_comments(self.request.user),
        )
        return context


@method_decorator(require_POST, name="dispatch")
class ReleaseCommentView(View):
    """Release a comment to the facilitators (`released=1`) or withdraw it (`released=0`)."""

    def dispatch(self, request, *args, **kwargs):
        if not quality.can_release_comments(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        response = get_object_or_404(quality.comments_for_staff(request.user), pk=pk)
        released = request.POST.get("released")
        if released not in {"0", "1"}:
            messages.error(request, _("Choose whether to release the comment or withdraw it."))
        else:
            quality.set_comment_released(response, released == "1")
            if response.comment_released:
                messages.success(
                    request, _("Comment released: the session's facilitators can now read it.")
                )
            else:
                messages.success(
                    request, _("Comment withdrawn: the facilitators no longer see it.")
                )
        url = reverse("meetings_quality:comments")
        page = request.POST.get("p", "")
        return redirect(f"{url}?p={page}" if page.isdigit() else url)


class QualityMenuItem(MenuItem):
    def is_shown(self, request):
        return quality.can_view_quality(request.user)


class QualityViewSet(ViewSet):
    """The Quality report and the comments, in the Sessions menu."""

    name = "meetings_quality"
    url_prefix = "meetings/quality"
    icon = "pick"
    menu_label = _("Quality")
    menu_item_class = QualityMenuItem

    def get_urlpatterns(self):
        return [
            path("", QualityReportView.as_view(), name="index"),
            path("comments/", CommentsView.as_view(), name="comments"),
            path("comments/<int:pk>/release/", ReleaseCommentView.as_view(), name="release"),
        ]
