"""The staff's "Facilitation record" in the Sessions admin: the log entries made from their
organisations' sessions, what still awaits confirmation first, each with Confirm and Query.

Thin: who may confirm or query what is `record.py`'s. Staff of an organisation (`organisations_for`)
with admin access see its entries only; another organisation's entry is a 404. Facilitators' private
notes never appear here.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from peerpath.form_fields import ModelChoiceField
from peerpath.organisations.roles import SESSIONS
from peerpath.organisations.scope import visible_organisations
from peerpath.workshops.choices import Confirmation

from . import record

#: Entries listed per page.
ENTRIES_PER_PAGE = 50
#: The listing's filters, kept when an action returns to it.
FILTER_KEYS = ("status", "organisation", "p")
STATUS_CHOICES = [
    ("", _("Any status")),
    (Confirmation.AWAITING, Confirmation.AWAITING.label),
    (Confirmation.QUERIED, Confirmation.QUERIED.label),
    (Confirmation.CONFIRMED, Confirmation.CONFIRMED.label),
]


class RecordFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    organisation = ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("All your organisations"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible_organisations(user, SESSIONS).order_by(
            "name"
        )


class QueryForm(forms.Form):
    note = forms.CharField(
        label=_("What needs looking at"),
        max_length=record.MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The facilitator sees this with the entry. It stops counting until you confirm it. "
            "Please do not name participants."
        ),
    )


class StaffRecordMixin:
    """Only staff of an organisation with admin access (and superusers) come in."""

    def dispatch(self, request, *args, **kwargs):
        if not record.can_use_staff_record(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def entry_or_404(self, pk):
        return get_object_or_404(record.entries_for_staff(self.request.user), pk=pk)


def index_url(data):
    """The listing, with the filters in `data` (a QueryDict) that it knows."""
    url = reverse("meetings_record:index")
    query = urlencode({key: data[key] for key in FILTER_KEYS if data.get(key)})
    return f"{url}?{query}" if query else url


class RecordIndexView(StaffRecordMixin, WagtailAdminTemplateMixin, TemplateView):
    """Entries made from the staff's organisations' sessions: awaiting confirmation first, then
    queried, then confirmed; filtered by status and organisation."""

    template_name = "meetings/record/admin_index.html"
    page_title = _("Facilitation record")
    header_icon = "tick-inverse"

    @cached_property
    def form(self):
        return RecordFilterForm(self.request.GET, user=self.request.user)

    def get_queryset(self):
        entries = record.entries_for_staff(self.request.user)
        if not self.form.is_valid():
            return entries
        if self.form.cleaned_data["status"]:
            entries = entries.filter(confirmation=self.form.cleaned_data["status"])
        if self.form.cleaned_data["organisation"]:
            entries = entries.filter(
                session_record__organisation=self.form.cleaned_data["organisation"]
            )
        return entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        paginator = Paginator(self.get_queryset(), ENTRIES_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        for entry in page.object_list:
            entry.can_confirm = record.staff_confirm_refusal(user, entry) is None
            entry.can_query = record.staff_query_refusal(user, entry) is None
            entry.is_own = entry.facilitator_id == user.pk
        context.update(
            form=self.form,
            page_obj=page,
            elided_page_range=paginator.get_elided_page_range(page.number),
            # Carried by each action's form, so that it returns to the same page of the listing.
            filters=[
                (key, self.request.GET[key]) for key in FILTER_KEYS if self.request.GET.get(key)
            ],
        )
        return context


@method_decorator(require_POST, name="dispatch")
class ConfirmEntryView(StaffRecordMixin, View):
    """Confirm one entry (awaiting or queried; never the user's own)."""

    def post(self, request, pk):
        entry = self.entry_or_404(pk)
        try:
            record.staff_confirm(request.user, entry)
        except record.RecordRefused as refused:
            if refused.code == "not_found":
                raise Http404(refused.message) from refused
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Confirmed: %(facilitator)s's session on %(date)s now counts.")
                % {
                    "facilitator": facilitator_name(entry),
                    "date": date_format(entry.date, "j M Y"),
                },
            )
        return redirect(index_url(request.POST))


class QueryEntryView(StaffRecordMixin, WagtailAdminTemplateMixin, FormView):
    """Query one entry with a note the facilitator sees; it stops counting until confirmed."""

    template_name = "meetings/record/admin_query.html"
    form_class = QueryForm
    page_title = _("Query an entry")
    header_icon = "help"

    def get(self, request, *args, **kwargs):
        return self.refuse(kwargs["pk"]) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse(kwargs["pk"]) or super().post(request, *args, **kwargs)

    def refuse(self, pk):
        """A redirect to the listing, with why, if the entry cannot be queried; else None."""
        self.entry = self.entry_or_404(pk)
        refusal = record.staff_query_refusal(self.request.user, self.entry)
        if refusal:
            messages.warning(self.request, refusal.message)
            return redirect("meetings_record:index")
        return None

    def get_page_subtitle(self):
        return facilitator_name(self.entry)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("meetings_record:index"), "label": _("Facilitation record")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entry"] = self.entry
        context["index_url"] = reverse("meetings_record:index")
        return context

    def form_valid(self, form):
        try:
            record.staff_query(self.request.user, self.entry, form.cleaned_data["note"])
        except record.RecordRefused as refused:
            if refused.code == "not_found":
                raise Http404(refused.message) from refused
            form.add_error("note" if refused.code == "invalid" else None, refused.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Queried: the entry no longer counts, and %(facilitator)s sees your note.")
            % {"facilitator": facilitator_name(self.entry)},
        )
        return redirect("meetings_record:index")


def facilitator_name(entry):
    facilitator = entry.facilitator
    return facilitator.get_full_name() or facilitator.get_username()


class RecordMenuItem(MenuItem):
    def is_shown(self, request):
        return record.can_use_staff_record(request.user)


class RecordViewSet(ViewSet):
    """The Facilitation record, in the Sessions menu."""

    name = "meetings_record"
    url_prefix = "meetings/record"
    icon = "tick-inverse"
    menu_label = _("Facilitation record")
    menu_item_class = RecordMenuItem

    def get_urlpatterns(self):
        return [
            path("", RecordIndexView.as_view(), name="index"),
            path("<int:pk>/confirm/", ConfirmEntryView.as_view(), name="confirm"),
            path("<int:pk>/query/", QueryEntryView.as_view(), name="query"),
        ]
