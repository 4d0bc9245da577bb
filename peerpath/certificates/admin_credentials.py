"""The Certification admin's Open Badges 3.0 screens: "Check a credential" (this site's or
another PeerPath site's) and the list of issuers whose keys and status lists may be fetched."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import CreateView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from .access import is_certificate_staff
from .credential_forms import CredentialCheckForm
from .models import TrustedIssuerHost


class CredentialCheckView(WagtailAdminTemplateMixin, TemplateView):
    """Paste or upload an Open Badges 3.0 credential and see what checking it found."""

    template_name = "certificates/admin/credential_check.html"
    page_title = _("Check a credential")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not is_certificate_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = CredentialCheckForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        result = form.check()
        fresh = CredentialCheckForm(initial={"holder_email": form.cleaned_data["holder_email"]})
        return self.render_to_response(self.get_context_data(form=fresh, result=result))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CredentialCheckForm())
        policy = trusted_issuer_viewset.permission_policy
        if policy.user_has_permission(self.request.user, "add"):
            context["trust_url"] = reverse(trusted_issuer_viewset.get_url_name("add"))
        return context


urlpatterns = [path("check/", CredentialCheckView.as_view(), name="check")]


class TrustedIssuerCreateView(CreateView):
    """Adding a trusted issuer records who added it."""

    def save_instance(self):
        self.form.instance.added_by = self.request.user
        return super().save_instance()


class TrustedIssuerHostViewSet(ModelViewSet):
    """Hosts of other PeerPath sites whose keys and status lists this site may fetch when
    checking their credentials. Superusers, and staff given the model's permissions."""

    model = TrustedIssuerHost
    icon = "lock"
    menu_label = _("Trusted credential issuers")
    menu_order = 360
    # Listed under Certification (the viewset registers its own menu item there, shown to those
    # with any of the model's permissions).
    menu_hook = "register_certification_menu_item"
    name = "trusted_issuers"
    url_prefix = "credentials/trusted-issuers"
    add_view_class = TrustedIssuerCreateView
    form_fields = ["host", "note"]
    list_display = ["host", "note", "added_by", "added_at"]
    copy_view_enabled = False
    inspect_view_enabled = False


trusted_issuer_viewset = TrustedIssuerHostViewSet()
