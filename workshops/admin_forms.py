"""The Wagtail admin form for workshop pages: what publishing requires beyond a draft."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class WorkshopPageForm(WagtailAdminPageForm):
    """Drafts may be incomplete; publishing (or submitting for moderation) needs a real protocol.

    Wagtail already makes the field required when publishing, but an editor box holding only
    empty paragraphs or spaces would pass that check.
    """

    def clean(self):
        cleaned = super().clean()
        if not self.is_deferred_validation and "safety_protocol" not in self.errors:
            protocol = strip_tags(cleaned.get("safety_protocol") or "").replace("&nbsp;", " ")
            if not protocol.strip():
                self.add_error(
                    "safety_protocol",
                    _("Write the safety and crisis protocol before publishing."),
                )
        return cleaned
