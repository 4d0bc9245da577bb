"""Wagtail integration: the certificate template snippet (with live PDF preview) and the
learner's certificate list on "My training"."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .access import certificates_for_holder
from .links import verification_url
from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = ["name", "is_default", "page_size", "orientation", "updated_at"]
    search_fields = ["name"]
    add_to_admin_menu = False


register_snippet(CertificateTemplateViewSet)


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
