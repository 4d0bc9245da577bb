"""The Cohorts screens (People → Cohorts): the listing, making and editing a cohort, archiving it,
its members, and the coach view with its nudges.

The rules are elsewhere: cohorts and enrolling their members in `cohorts.py`, the coach view's
progress and stuck points in `coaching.py`, nudges in `nudges.py`. Every view reads cohorts through
`cohorts.coordinated_cohorts`, so another organisation's cohort is a 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import coaching, nudges
from . import cohorts as service
from .access import can_coordinate
from .models import Cohort, CohortMember

SORTS = [
    ("name", _("Name")),
    ("progress", _("Progress")),
    ("activity", _("Least recent activity")),
    ("stuck", _("Most stuck points")),
]
MEMBER_SEARCH_LIMIT = 50
COHORTS_PER_PAGE = 25


class CoordinatorMixin(WagtailAdminTemplateMixin):
    """Only coordinators; `cohort` is one of theirs (archived too), or a 404."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not can_coordinate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def cohort(self):
        try:
            return coaching.cohort_with_programmes(
                service.coordinated_cohorts(self.request.user, archived=None), self.kwargs["pk"]
            )
        except Cohort.DoesNotExist:
            raise Http404 from None

    def get_breadcrumbs_items(self):
        items = [
            *super().get_breadcrumbs_items(),
            {"url": reverse("coordination_cohorts:index"), "label": _("Cohorts")},
        ]
        if "pk" in self.kwargs:
            items.append(
                {
                    "url": reverse("coordination_cohorts:coach", args=[self.cohort.pk]),
                    "label": self.cohort.name,
                }
            )
        return [*items, {"url": "", "label": self.get_page_title()}]


class CohortListView(CoordinatorMixin, TemplateView):
    """Each cohort: organisation, dates, members, % complete and how many are stuck."""

    template_name = "coordination/cohorts/index.html"
    page_title = _("Cohorts")

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.get_breadcrumbs_items(self),
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        archived = self.request.GET.get("archived") == "1"
        # A page of cohorts at a time: the figures read every member of the cohorts shown.
        paginator = Paginator(
            coaching.listed_cohorts(
                service.coordinated_cohorts(self.request.user, archived=archived)
            ),
            COHORTS_PER_PAGE,
        )
        page = paginator.get_page(self.request.GET.get("p"))
        cohorts = list(page.object_list)
        rows = coaching.coach_rows_for(cohorts)
        for cohort in cohorts:
            cohort.summary = coaching.summarise(rows[cohort.pk])
        context["page"] = page
        context.update(cohorts=cohorts, archived=archived)
        return context


class CohortFormView(CoordinatorMixin, TemplateView):
    """Make a cohort, or edit one (`pk` in the URL)."""

    template_name = "coordination/cohorts/form.html"

    def get_page_title(self):
        return _("Edit cohort") if "pk" in self.kwargs else _("New cohort")

    def get_form(self):
        instance = self.cohort if "pk" in self.kwargs else None
        data = self.request.POST if self.request.method == "POST" else None
        return service.CohortForm(data, instance=instance, user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["cohort"] = self.cohort if "pk" in self.kwargs else None
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        cohort = service.save_cohort(form, by=request.user)
        messages.success(request, _("Saved the cohort “%(name)s”.") % {"name": cohort.name})
        return redirect("coordination_cohorts:coach", pk=cohort.pk)


class ArchiveCohortView(CoordinatorMixin, TemplateView):
    """Confirm, then archive (or bring back) a cohort."""

    template_name = "coordination/cohorts/archive.html"

    def get_page_title(self):
        return _("Bring back cohort") if self.cohort.archived_at else _("Archive cohort")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cohort": self.cohort}

    def post(self, request, *args, **kwargs):
        if self.cohort.archived_at:
            service.unarchive(self.cohort)
            messages.success(request, _("The cohort is back in the list."))
        else:
            service.archive(self.cohort)
            messages.success(request, _("Archived the cohort: it is kept under Archived."))
        return redirect("coordination_cohorts:index")


class CoachFilterForm(forms.Form):
    inactive_days = forms.TypedChoiceField(
        label=_("Stuck after no activity for"),
        choices=[
            (days, _("%(days)d days") % {"days": days}) for days in coaching.INACTIVE_DAY_CHOICES
        ],
        coerce=int,
        required=False,
    )
    only_stuck = forms.BooleanField(label=_("Only stuck members"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)


class CoachView(CoordinatorMixin, TemplateView):
    """The coach view: summary cards, the progress distribution, and member × programme."""

    template_name = "coordination/coach/index.html"

    def get_page_title(self):
        return self.cohort.name

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.get_breadcrumbs_items(self),
            {"url": reverse("coordination_cohorts:index"), "label": _("Cohorts")},
            {"url": "", "label": self.cohort.name},
        ]

    @cached_property
    def filters(self):
        form = CoachFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return form, data

    def rows(self):
        _form, data = self.filters
        return coaching.coach_rows(
            self.cohort, inactive_days=data.get("inactive_days") or coaching.DEFAULT_INACTIVE_DAYS
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, data = self.filters
        rows = self.rows()
        summary = coaching.summarise(rows)
        shown = [row for row in rows if row.is_stuck] if data.get("only_stuck") else rows
        context.update(
            cohort=self.cohort,
            form=form,
            summary=summary,
            rows=coaching.sort_rows(shown, data.get("sort") or "name"),
            states=coaching.MemberState,
            max_note=nudges.MAX_NOTE_LENGTH,
        )
        return context


class MembersView(CoordinatorMixin, TemplateView):
    """Add the organisation's members to the cohort (search, tick, add), or take one out."""

    template_name = "coordination/cohorts/members.html"
    page_title = _("Add members")

    def candidates(self):
        query = (self.request.GET.get("q") or "").strip()[:100]
        memberships = service.members_of(self.cohort.organisation).exclude(
            user__in=CohortMember.objects.filter(cohort=self.cohort).values("user")
        )
        for word in query.split():
            memberships = memberships.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
        return query, memberships.select_related("user").order_by(
            "user__first_name", "user__last_name", "pk"
        )[:MEMBER_SEARCH_LIMIT]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, candidates = self.candidates()
        context.update(
            cohort=self.cohort,
            query=query,
            candidates=candidates,
            members=CohortMember.objects.filter(cohort=self.cohort)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "pk"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.cohort.archived_at:
            messages.error(request, _("Bring the cohort back before changing its members."))
            return redirect("coordination_cohorts:members", pk=self.cohort.pk)
        ids = [value for value in request.POST.getlist("user") if value.isdecimal()]
        users = [
            m.user
            for m in service.members_of(self.cohort.organisation)
            .filter(user_id__in=ids)
            .select_related("user")
        ]
        if not users:
            messages.error(request, _("Choose at least one member of the organisation."))
            return redirect("coordination_cohorts:members", pk=self.cohort.pk)
        added = service.add_members(self.cohort, users)
        messages.success(
            request,
            _("Added %(count)d to the cohort and enrolled them in its programmes.")
            % {"count": len(added)},
        )
        return redirect("coordination_cohorts:members", pk=self.cohort.pk)


class RemoveCohortMemberView(CoordinatorMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = get_object_or_404(
            CohortMember.objects.select_related("user"),
            cohort=self.cohort,
            pk=self.kwargs["member_pk"],
        )
        service.remove_member(self.cohort, member.user)
        messages.success(request, _("Removed from the cohort. Their progress is kept."))
        return redirect("coordination_cohorts:members", pk=self.cohort.pk)


class NudgeForm(forms.Form):
    note = forms.CharField(
        label=_("A personal line (optional)"),
        required=False,
        max_length=nudges.MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the message as you write it. No more than 500 characters."),
    )


class NudgeView(CoordinatorMixin, TemplateView):
    """Preview a nudge to one member, the selected ones or every stuck one, then send it."""

    template_name = "coordination/coach/nudge.html"
    page_title = _("Nudge")

    def chosen(self, data):
        rows = coaching.coach_rows(self.cohort)
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        if data.get("only", "").isdecimal():
            return [row for row in rows if row.membership.pk == int(data["only"])]
        if data.get("who") == "stuck":
            return [row for row in rows if row.is_stuck]
        ids = {int(value) for value in data.getlist("member") if value.isdecimal()}
        return [row for row in rows if row.membership.pk in ids]

    def post(self, request, *args, **kwargs):
        chosen = self.chosen(request.POST)
        bound = "note" in request.POST or "send" in request.POST
        form = NudgeForm(request.POST if bound else None)
        if not chosen:
            messages.error(request, _("Choose who to nudge: nobody was selected."))
            return redirect("coordination_cohorts:coach", pk=self.cohort.pk)
        if request.POST.get("send") and form.is_valid():
            outcome = nudges.nudge(self.cohort, chosen, form.cleaned_data["note"])
            return self.render_to_response(
                self.get_context_data(outcome=outcome, form=form, chosen=chosen)
            )
        note = form.cleaned_data["note"] if form.is_bound and form.is_valid() else ""
        preview = None
        for row in chosen:
            preview = nudges.compose(row.membership, note)
            if preview:
                break
        return self.render_to_response(
            self.get_context_data(form=form, chosen=chosen, preview=preview)
        )

    def get(self, request, *args, **kwargs):
        return redirect("coordination_cohorts:coach", pk=self.cohort.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cohort": self.cohort}


urlpatterns = [
    path("", CohortListView.as_view(), name="index"),
    path("add/", CohortFormView.as_view(), name="add"),
    path("<int:pk>/", CoachView.as_view(), name="coach"),
    path("<int:pk>/edit/", CohortFormView.as_view(), name="edit"),
    path("<int:pk>/archive/", ArchiveCohortView.as_view(), name="archive"),
    path("<int:pk>/members/", MembersView.as_view(), name="members"),
    path(
        "<int:pk>/members/<int:member_pk>/remove/",
        RemoveCohortMemberView.as_view(),
        name="remove_member",
    ),
    path("<int:pk>/nudge/", NudgeView.as_view(), name="nudge"),
]


@hooks.register("register_admin_urls")
def register_cohort_urls():
    return [
        path(
            "coordination/cohorts/",
            include((urlpatterns, "coordination_cohorts"), namespace="coordination_cohorts"),
        )
    ]


class CohortsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_coordinate(request.user)


@hooks.register("register_coordination_menu_item")
def cohorts_menu_item():
    return CohortsMenuItem(
        _("Cohorts"),
        reverse("coordination_cohorts:index"),
        name="coordination-cohorts",
        icon_name="group",
        order=200,
    )
