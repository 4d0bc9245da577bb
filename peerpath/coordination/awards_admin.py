"""Awards on recognition of prior learning in the People menu (`/admin/coordination/awards/`): the
list, awarding one certificate, and uploading a list with its editable preview.

Who may award for which organisation is `certificates.awards.organisations_awardable_by`, the one
rule: every list and choice here reads through it, so another organisation's awards are not
listed and its members cannot be chosen. Every rule of an award is `certificates.awards`'; the
views only collect, show and redirect. A certificate's own page (details, history, evidence
file) is the Certification admin's.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from peerpath.certificates import awards
from peerpath.certificates.admin_access import can_view_reports
from peerpath.certificates.models import Certificate

from . import award_rows
from .award_forms import (
    AwardForm,
    AwardRowFormSet,
    AwardSearchForm,
    OrganisationForm,
    UploadForm,
    formset_data,
)
from .uploads import UploadError, read_upload

NAMESPACE = "coordination_awards"
TEMPLATES = "coordination/awards/"
PER_PAGE = 50


def awards_for(user):
    """The awards `user` may see here, newest first, with what the list shows (a fixed number of
    queries whatever the page's length: the certificates, with their status, come in one)."""
    certificates = Certificate.objects.with_status().select_related("holder")
    return (
        awards.awards_visible_to(user)
        .select_related("organisation", "awarded_by")
        .prefetch_related(Prefetch("certificate", queryset=certificates))
        .order_by("-awarded_at", "-pk")
    )


def index_url():
    return reverse(f"{NAMESPACE}:index")


class AwardsPage(WagtailAdminTemplateMixin, TemplateView):
    """Only people who may award for some organisation reach these views; others get a 403."""

    header_icon = "success"

    def dispatch(self, request, *args, **kwargs):
        if not awards.can_award(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*super().get_breadcrumbs_items()]
        if self.template_name != TEMPLATES + "index.html":
            items.append({"url": index_url(), "label": _("Prior learning")})
        return [*items, {"url": "", "label": self.get_page_title()}]


class IndexView(AwardsPage):
    """The awards of the user's organisations, searched by holder or certificate number."""

    template_name = TEMPLATES + "index.html"
    page_title = gettext_lazy("Awards on prior learning")

    @cached_property
    def search(self):
        return AwardSearchForm(self.request.GET, user=self.request.user)

    def filtered(self):
        queryset = awards_for(self.request.user)
        if not self.search.is_valid():
            return queryset.none()
        term = (self.search.cleaned_data["q"] or "").strip()
        if term:
            queryset = queryset.filter(
                Q(certificate__holder_name__icontains=term)
                | Q(certificate__holder__email__icontains=term)
                | Q(certificate__number__icontains=term)
            )
        if self.search.cleaned_data["organisation"]:
            queryset = queryset.filter(organisation=self.search.cleaned_data["organisation"])
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.filtered(), PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(
            search=self.search,
            page_obj=page,
            awards=list(page.object_list),
            sees_certificates=can_view_reports(self.request.user),
        )
        return context


class AwardView(AwardsPage):
    """Award one certificate."""

    template_name = TEMPLATES + "award.html"
    page_title = gettext_lazy("Award a certificate")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AwardForm(user=self.request.user))
        return context

    def post(self, request):
        form = AwardForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                certificate = awards.award(
                    data["holder"],
                    data["programme"],
                    organisation=data["organisation"],
                    original_issued_on=data["original_issued_on"],
                    expires_on=data["expires_on"],
                    evidence_note=data["evidence_note"],
                    evidence_file=data["evidence_file"],
                    by=request.user,
                )
            except awards.AwardError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Certificate %(number)s awarded on recognition of prior learning.")
                    % {"number": certificate.number},
                )
                return HttpResponseRedirect(index_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


class UploadView(AwardsPage):
    """Upload a list, correct it in the preview until every row is ready, then award them all.

    The first POST carries the file; the later ones the preview formset ("Check again" or
    "Award"). Nothing is awarded until every row is ready or skipped, and then all in one
    transaction (`award_rows.award_rows`)."""

    template_name = TEMPLATES + "upload.html"
    page_title = gettext_lazy("Upload a list of awards")

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
            rows = read_upload(form.cleaned_data["file"], award_rows.COLUMNS)
        except UploadError as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        organisation = form.cleaned_data["organisation"]
        # Bound, as after "Check again": the same fields, checked by the same function.
        formset = AwardRowFormSet(formset_data(rows))
        formset.is_valid()
        formset.check(organisation, request.user)
        return self.render_preview(organisation, formset)

    def preview(self, request):
        organisation_form = OrganisationForm(request.POST, user=request.user)
        if not organisation_form.is_valid():
            raise PermissionDenied  # not an organisation the user may award for
        organisation = organisation_form.cleaned_data["organisation"]
        formset = AwardRowFormSet(request.POST)
        if not formset.is_valid():
            messages.error(request, _("The preview could not be read: upload the file again."))
            return HttpResponseRedirect(reverse(f"{NAMESPACE}:upload"))
        checked = formset.check(organisation, request.user)
        if request.POST.get("award") and formset.ready:
            try:
                certificates = award_rows.award_rows(checked, by=request.user)
            except awards.AwardError as error:
                messages.error(request, _("Nothing was awarded: %(error)s") % {"error": error})
                formset.check(organisation, request.user)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d certificate awarded on recognition of prior learning.",
                        "%(count)d certificates awarded on recognition of prior learning.",
                        len(certificates),
                    )
                    % {"count": len(certificates)},
                )
                return HttpResponseRedirect(index_url())
        elif request.POST.get("award"):
            messages.error(request, _("Some rows need a fix: nothing was awarded."))
        return self.render_preview(organisation, formset)

    def render_preview(self, organisation, formset):
        return self.render_to_response(
            self.get_context_data(
                preview=True,
                organisation=organisation,
                formset=formset,
                summary=award_rows.summary(formset.checked),
            ),
            status=200 if formset.ready else 400,
        )


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("award/", AwardView.as_view(), name="award"),
    path("upload/", UploadView.as_view(), name="upload"),
]


@hooks.register("register_admin_urls")
def register_award_urls():
    return [path("coordination/awards/", include((urlpatterns, NAMESPACE), namespace=NAMESPACE))]


class AwardsMenuItem(MenuItem):
    def is_shown(self, request):
        return awards.can_award(request.user)


@hooks.register("register_coordination_menu_item")
def register_awards_menu_item():
    return AwardsMenuItem(
        gettext_lazy("Prior learning"), index_url(), name="awards", icon_name="success", order=400
    )
