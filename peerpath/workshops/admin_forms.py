"""The Wagtail admin form for workshop pages: what publishing requires beyond a draft, and which
documents an editor may attach."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

#: The page's document lists (inline panels), each of `WorkshopMaterial`s.
MATERIAL_LISTS = ("participant_materials", "facilitator_materials")


class WorkshopPageForm(WagtailAdminPageForm):
    """Drafts may be incomplete; publishing (or submitting for moderation) needs a programme and
    a real safety protocol.

    Wagtail already makes the protocol required when publishing, but an editor box holding only
    empty paragraphs or spaces would pass that check. The programme is optional in the database
    so that a deleted programme leaves its workshops locked (see `access.py`), not invalid.

    Drafts and published versions alike list only documents the editor may choose, and
    facilitator material only from the workshop's own organisation. (The page's StreamFields hold
    no document blocks; a new one would need checking here too.)
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the page lists before this edit (its latest revision), read before validation
        # updates the listed rows in place. Keeping those needs no permission to choose them.
        self.documents_before = {
            material.document_id
            for name in MATERIAL_LISTS
            for material in getattr(self.instance, name).all()
        }

    def is_valid(self):
        # The material formsets are validated inside super().is_valid(), after clean().
        valid = super().is_valid()
        checks = [
            self.refuse_repeated_documents(),
            self.refuse_documents_the_editor_may_not_choose(),
            self.refuse_other_organisations_facilitator_documents(),
        ]
        return all(checks) and valid

    def listed(self, *names):
        """(form, document) for each document the submitted lists `names` keep."""
        for name in names:
            formset = self.formsets.get(name)
            if formset is None:
                continue
            for form in formset.forms:
                if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                    continue
                document = form.cleaned_data.get("document")
                if document is not None:
                    yield form, document

    def refuse_documents_the_editor_may_not_choose(self):
        """The chooser only offers documents the editor may choose, but the form receives ids:
        each newly listed document must be one Wagtail's document permission policy lets this
        editor choose (collection by collection), or any id would do."""
        new = [
            (form, document)
            for form, document in self.listed(*MATERIAL_LISTS)
            if document.pk not in self.documents_before
        ]
        if not new:
            return True
        if self.for_user is None:
            choosable = set()
        else:
            policy = policy_registry.get_by_type(get_document_model())
            choosable = set(
                policy.instances_user_has_any_permission_for(self.for_user, ["choose"])
                .filter(pk__in=[document.pk for _form, document in new])
                .values_list("pk", flat=True)
            )
        ok = True
        for form, document in new:
            if document.pk not in choosable:
                form.add_error(
                    "document",
                    _("You cannot use this document: it is in a collection you may not use."),
                )
                ok = False
        return ok

    def refuse_other_organisations_facilitator_documents(self):
        """Facilitator material must belong to the workshop's organisation (be filed in its
        collections): only then may its facilitators open it (`documents.can_download_document`)."""
        if self.parent_page is None:
            organisation = self.instance.organisation
        else:
            organisation = getattr(self.parent_page.specific, "organisation", None)
        ok = True
        for form, document in self.listed("facilitator_materials"):
            if organisation is None or not organisation.owns(document):
                form.add_error(
                    "document",
                    _(
                        "Facilitator material must be filed in your organisation's collections, "
                        "or its facilitators could not open it. Upload it there first."
                    ),
                )
                ok = False
        return ok

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

    def refuse_repeated_documents(self):
        """A document listed twice in one list is an editing slip: say so, in the form.

        This is a form rule rather than a database constraint on purpose: Wagtail's autosave and
        a Publish click can save the same new page at the same moment, and a constraint would turn
        that race into a server error for the editor.
        """
        ok = True
        for name in MATERIAL_LISTS:
            seen = set()
            for form, document in self.listed(name):
                if document.pk in seen:
                    form.add_error("document", _("This document is already in the list."))
                    ok = False
                seen.add(document.pk)
        return ok
