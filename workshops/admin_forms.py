"""The Wagtail admin form for workshop pages: what publishing requires beyond a draft."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class WorkshopPageForm(WagtailAdminPageForm):
    """Drafts may be incomplete; publishing (or submitting for moderation) needs a programme and
    a real safety protocol.

    Wagtail already makes the protocol required when publishing, but an editor box holding only
    empty paragraphs or spaces would pass that check. The programme is optional in the database
    so that a deleted programme leaves its workshops locked (see `access.py`), not invalid.
    """

    def clean(self):
        cleaned = super().clean()
        if self.is_deferred_validation:
            return cleaned
        if not cleaned.get("programme") and "programme" not in self.errors:
            self.add_error(
                "programme",
                _("Choose the programme whose certificate unlocks the facilitator-only parts."),
            )
        if "safety_protocol" not in self.errors:
            protocol = strip_tags(cleaned.get("safety_protocol") or "").replace("&nbsp;", " ")
            if not protocol.strip():
                self.add_error(
                    "safety_protocol",
                    _("Write the safety and crisis protocol before publishing."),
                )
        return cleaned
