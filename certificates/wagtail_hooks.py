"""Admin registration for certificates: the template snippet (with live PDF preview)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = ["name", "is_default", "page_size", "orientation", "updated_at"]
    search_fields = ["name"]
    add_to_admin_menu = False


register_snippet(CertificateTemplateViewSet)
