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

    def is_valid(self):
        # The material formsets are validated inside super().is_valid(), after clean().
        valid = super().is_valid()
        return self._refuse_repeated_documents() and valid

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

    def _refuse_repeated_documents(self):
        """A document listed twice in one list is an editing slip: say so, in the form.

        This is a form rule rather than a database constraint on purpose: Wagtail's autosave and
        a Publish click can save the same new page at the same moment, and a constraint would turn
        that race into a server error for the editor.
        """
        ok = True
        for name in ("participant_materials", "facilitator_materials"):
            formset = self.formsets.get(name)
            if formset is None:
                continue
            seen = set()
            for form in formset.forms:
                if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                    continue
                document = form.cleaned_data.get("document")
                if document is None:
                    continue
                if document.pk in seen:
                    form.add_error("document", _("This document is already in the list."))
                    ok = False
                seen.add(document.pk)
        return ok
