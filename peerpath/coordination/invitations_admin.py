"""Invitations in the People menu (`/admin/coordination/invitations/`): the list, inviting one
address, uploading a list with its editable preview, re-sending and withdrawing.

Every view reads through `access.py`, so a coordinator sees only the invitations of the
organisations they coordinate, and another organisation's invitation is a 404. Every rule is
`invitations.py`'s; these views only collect, show and redirect. Changes are POSTs.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, View
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import invitations
from .access import can_coordinate, scope_to_coordinated
from .invitation_forms import (
    InvitationFilterForm,
    InviteForm,
    OrganisationForm,
    RowFormSet,
    SelectionForm,
    UploadForm,
)
from .invitations import InvitationError
from .models import Invitation
from .uploads import UploadError, read_upload

NAMESPACE = "coordination_invitations"
TEMPLATES = "coordination/invitations/admin/"
PER_PAGE = 50


def invitations_for(user):
    """The invitations of the organisations `user` coordinates, with what the list shows."""
    return scope_to_coordinated(Invitation.objects.all(), user).select_related(
        "organisation", "cohort", "invited_by"
    )


def index_url():
    return reverse(f"{NAMESPACE}:index")


def back(request):
    """Back to the list as it was filtered (the form's `next`), or to the list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(index_url())


class CoordinatorMixin:
    """Only coordinators (and superusers) reach these views; other staff get Wagtail's
    permission denial (back to the dashboard, with a message)."""

    def dispatch(self, request, *args, **kwargs):
        if not can_coordinate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class InvitationsPage(CoordinatorMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        items = [*super().get_breadcrumbs_items()]
        if self.template_name != TEMPLATES + "index.html":
            items.append({"url": index_url(), "label": _("Invitations")})
        return [*items, {"url": "", "label": self.get_page_title()}]


class IndexView(InvitationsPage):
    """All invitations, newest first, filtered by status, organisation, cohort and a search."""

    template_name = TEMPLATES + "index.html"
    page_title = gettext_lazy("Invitations")

    @cached_property
    def filters(self):
        return InvitationFilterForm(self.request.GET, user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = self.filters.filter(invitations_for(self.request.user))
        paginator = Paginator(queryset, PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(
            filters=self.filters,
            page_obj=page,
            invitations=list(page.object_list),
            next=self.request.get_full_path(),
        )
        return context


class InviteView(InvitationsPage):
    """Invite one address. An address with an open invitation is offered a re-send instead."""

    template_name = TEMPLATES + "invite.html"
    page_title = gettext_lazy("Invite someone")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", InviteForm(user=self.request.user))
        return context

    def post(self, request):
        form = InviteForm(request.POST, user=request.user)
        context = {"form": form}
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitations.invite(
                    data["organisation"],
                    data["email"],
                    name=data["name"],
                    cohort=data["cohort"],
                    by=request.user,
                )
            except InvitationError as error:
                form.add_error("email" if error.code != "invalid" else None, error.message)
                if error.code == "open":
                    context["open_invitation"] = error.invitation
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.")
                    % {"email": invitations.normalise(data["email"])},
                )
                return HttpResponseRedirect(index_url())
        return self.render_to_response(self.get_context_data(**context), status=400)


class UploadView(InvitationsPage):
    """Upload a list, then correct it in the preview until every row is ready, then send.

    The first POST carries the file; the later ones the preview formset ("Check again" or
    "Send"). Nothing is created until "Send" with every row ready or skipped, and then all in one
    transaction."""

    template_name = TEMPLATES + "upload.html"
    page_title = gettext_lazy("Upload a list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm(user=self.request.user))
        return context

    def post(self, request):
        if "file" in request.FILES or "form-TOTAL_FORMS" not in request.POST:
            return self.read_file(request)
        return self.preview(request)

    def read_file(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            rows = read_upload(form.cleaned_data["file"], ["name", "email", "cohort"])
        except UploadError as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        organisation = form.cleaned_data["organisation"]
        # Bound, as after "Check again": the same fields, checked by the same function.
        bound = RowFormSet(formset_data(rows))
        bound.is_valid()
        bound.check(organisation)
        return self.render_preview(organisation, bound)

    def preview(self, request):
        organisation_form = OrganisationForm(request.POST, user=request.user)
        if not organisation_form.is_valid():
            raise Http404  # not an organisation the user coordinates
        organisation = organisation_form.cleaned_data["organisation"]
        formset = RowFormSet(request.POST)
        if not formset.is_valid():
            messages.error(request, _("The preview could not be read: upload the file again."))
            return HttpResponseRedirect(reverse(f"{NAMESPACE}:upload"))
        formset.check(organisation)
        if request.POST.get("send") and formset.ready:
            try:
                sent = invitations.invite_many(organisation, formset.cleaned_data, by=request.user)
            except InvitationError as error:
                messages.error(request, error.message)
                formset.check(organisation)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", len(sent))
                    % {"count": len(sent)},
                )
                return HttpResponseRedirect(index_url())
        elif request.POST.get("send"):
            messages.error(request, _("Some rows need a fix: nothing was sent."))
        return self.render_preview(organisation, formset)

    def render_preview(self, organisation, formset):
        status = 200 if formset.ready else 400
        return self.render_to_response(
            self.get_context_data(
                preview=True,
                organisation=organisation,
                formset=formset,
                summary=invitations.summary(formset.checked),
            ),
            status=status,
        )


def formset_data(rows):
    """`rows` as the POST data of a preview formset."""
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for number, row in enumerate(rows):
        for key in ("line", "name", "email", "cohort"):
            data[f"form-{number}-{key}"] = row.get(key, "")
    return data


@method_decorator(require_POST, name="dispatch")
class ResendView(CoordinatorMixin, View):
    def post(self, request, pk):
        invitation = get_object_or_404(invitations_for(request.user), pk=pk)
        try:
            invitations.resend(invitation, by=request.user)
        except InvitationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Invitation sent again to %(email)s; the earlier link no longer works.")
                % {"email": invitation.email},
            )
        return back(request)


@method_decorator(require_POST, name="dispatch")
class RevokeView(CoordinatorMixin, View):
    def post(self, request, pk):
        invitation = get_object_or_404(invitations_for(request.user), pk=pk)
        try:
            invitations.revoke(invitation, by=request.user)
        except InvitationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Invitation to %(email)s withdrawn: its link no longer works.")
                % {"email": invitation.email},
            )
        return back(request)


@method_decorator(require_POST, name="dispatch")
class BulkView(CoordinatorMixin, View):
    """Re-send or withdraw the ticked invitations; each one refused says why."""

    def post(self, request):
        form = SelectionForm(request.POST, queryset=invitations_for(request.user))
        if not form.is_valid():
            messages.error(request, _("Tick at least one invitation, then choose an action."))
            return back(request)
        action = (
            invitations.resend if form.cleaned_data["action"] == "resend" else (invitations.revoke)
        )
        done, refused = 0, []
        for invitation in form.cleaned_data["selected"]:
            try:
                action(invitation, by=request.user)
            except InvitationError as error:
                refused.append(f"{invitation.email}: {error.message}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                (
                    ngettext(
                        "%(count)d invitation sent again.",
                        "%(count)d invitations sent again.",
                        done,
                    )
                    if form.cleaned_data["action"] == "resend"
                    else ngettext(
                        "%(count)d invitation withdrawn.", "%(count)d invitations withdrawn.", done
                    )
                )
                % {"count": done},
            )
        for problem in refused:
            messages.error(request, problem)
        return back(request)


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("invite/", InviteView.as_view(), name="invite"),
    path("upload/", UploadView.as_view(), name="upload"),
    path("<int:pk>/resend/", ResendView.as_view(), name="resend"),
    path("<int:pk>/revoke/", RevokeView.as_view(), name="revoke"),
    path("bulk/", BulkView.as_view(), name="bulk"),
]


@hooks.register("register_admin_urls")
def register_invitation_urls():
    return [
        path(
            "coordination/invitations/",
            include((urlpatterns, NAMESPACE), namespace=NAMESPACE),
        )
    ]


class InvitationsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_coordinate(request.user)


@hooks.register("register_coordination_menu_item")
def register_invitations_menu_item():
    return InvitationsMenuItem(
        gettext_lazy("Invitations"), index_url(), name="invitations", icon_name="mail", order=300
    )
