"""Wagtail integration: the certificate template snippet (with live PDF preview), the
certificates admin (list, inspect, revoke, renew, reissue) and the learner's certificate list on
"My training"."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import audit, privacy
from .access import certificates_for_holder
from .admin_views import CertificatePermissionPolicy, CertificateViewSet
from .links import verification_url
from .models import Certificate, CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = ["name", "is_default", "page_size", "orientation", "updated_at"]
    search_fields = ["name"]
    add_to_admin_menu = False


register_snippet(CertificateTemplateViewSet)
register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet()


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    audit.register(actions)


@hooks.register("peerpath_my_training_panels")
def my_certificates_panel(request, enrolments):
    """The learner's certificates: status, expiry, PDF download and a link to share."""
    certificates = list(certificates_for_holder(request.user))
    for certificate in certificates:
        certificate.verify_url = verification_url(certificate)
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
