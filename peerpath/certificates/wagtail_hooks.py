"""Wagtail integration: the certificate template snippet (with live PDF preview), the
certificates admin (list, inspect, revoke, renew, reissue) and the learner's certificate list on
"My training"."""

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_credentials, audit, privacy
from .access import certificates_for_holder, is_certificate_staff
from .admin_access import CertificatePermissionPolicy, can_verify, can_view_reports
from .admin_views import CertificateViewSet
from .dashboard import CertificationPanel
from .links import holder_links
from .models import Certificate, CertificateTemplate
from .renewal import attach_renewal_progress, with_renewal_flag


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = ["name", "is_default", "page_size", "orientation", "updated_at"]
    search_fields = ["name"]
    add_to_admin_menu = False


register_snippet(CertificateTemplateViewSet)
register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


certificate_viewset = CertificateViewSet()


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return certificate_viewset


@hooks.register("register_admin_viewset")
def register_trusted_issuer_viewset():
    return admin_credentials.trusted_issuer_viewset


@hooks.register("register_admin_urls")
def register_credential_check_urls():
    return [
        path(
            "credentials/",
            include((admin_credentials.urlpatterns, "credentials_admin")),
        )
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


class VerifyMenuItem(MenuItem):
    def is_shown(self, request):
        return can_verify(request.user)


class CredentialCheckMenuItem(MenuItem):
    def is_shown(self, request):
        return is_certificate_staff(request.user)


certification_menu = Menu(
    register_hook_name="register_certification_menu_item", construct_hook_name=None
)


@hooks.register("register_certification_menu_item")
def certificates_menu_item():
    return ReportMenuItem(
        _("Certificates"),
        reverse("certificates_admin:index"),
        name="certificates",
        icon_name="doc-full",
        order=100,
    )


@hooks.register("register_certification_menu_item")
def progress_menu_item():
    return ReportMenuItem(
        _("Learner progress"),
        reverse("certificates_admin:progress"),
        name="learner-progress",
        icon_name="tasks",
        order=200,
    )


@hooks.register("register_certification_menu_item")
def verify_menu_item():
    return VerifyMenuItem(
        _("Verify a certificate"),
        reverse("certificates_admin:verify"),
        name="verify-certificate",
        icon_name="search",
        order=300,
    )


@hooks.register("register_certification_menu_item")
def credential_check_menu_item():
    return CredentialCheckMenuItem(
        _("Check a credential"),
        reverse("credentials_admin:check"),
        name="check-credential",
        icon_name="search",
        order=350,
    )


@hooks.register("register_admin_menu_item")
def register_certification_menu():
    return SubmenuMenuItem(
        _("Certification"),
        certification_menu,
        name="certification",
        icon_name="doc-full",
        order=250,
    )


@hooks.register("construct_homepage_panels")
def add_certification_panel(request, panels):
    if can_view_reports(request.user):
        panels.append(CertificationPanel(request.user))


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    audit.register(actions)


@hooks.register("peerpath_my_training_panels")
def my_certificates_panel(request, enrolments):
    """The learner's certificates: status, expiry, PDF download, a link to share, the ways to use
    the certificate elsewhere (`links.holder_links`), and progress towards renewal where the
    programme sets renewal requirements."""
    certificates = attach_renewal_progress(
        list(with_renewal_flag(certificates_for_holder(request.user)))
    )
    for certificate in certificates:
        certificate.links = holder_links(certificate)
    return render_to_string(
        "certificates/includes/my_certificates.html",
        {"certificates": certificates},
        request=request,
    )


@hooks.register("peerpath_export_personal_data")
def export_certificates(user):
    """The user's certificates and their PDFs, for the account export."""
    return privacy.export_personal_data(user)


@hooks.register("peerpath_erase_personal_data")
def erase_certificates(user, erased_by):
    """On erasure, certificates are relinquished and lose the holder's name, e-mail hash and PDF."""
    privacy.erase_personal_data(user, erased_by)
