"""Which documents are facilitator-only, and who may download them through Wagtail's document URLs.

Both follow from `access.can_see_facilitator_material`, the one rule for facilitator material;
`wagtail_hooks.protect_facilitator_documents` asks `can_download_document` on every download.
"""

from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from peerpath.organisations.models import Organisation

from .access import can_see_facilitator_material
from .models import FacilitatorMaterial, WorkshopIndexPage, WorkshopPage


def document_is_restricted(document):
    """True if `document` is facilitator material, published or not.

    A document is restricted when any workshop lists it as facilitator material, or when it sits in
    an organisation's facilitator-only collection (so a draft's attachments are protected before
    the draft is published).
    """
    return (
        FacilitatorMaterial.objects.filter(document=document).exists()
        or Organisation.objects.filter(facilitator_collection_id=document.collection_id).exists()
    )


def can_download_document(user, document):
    """True if `user` may download `document` through Wagtail's document URLs.

    Unrestricted documents are open to all. A restricted one is open to people who manage the
    collection it sits in, and to those allowed by `can_see_facilitator_material` for a workshop
    that lists it and belongs to the organisation owning the document (the one whose collections
    hold it). Another organisation's workshop listing it unlocks nothing, and a restricted
    document filed outside every organisation's collections is for its managers only.
    """
    if not document_is_restricted(document):
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    document_policy = policy_registry.get_by_type(get_document_model())
    if document_policy.user_has_permission_for_instance(user, "change", document):
        return True
    owner = Organisation.objects.owner_of(document)
    index_page = WorkshopIndexPage.objects.filter(organisation=owner).first() if owner else None
    if index_page is None:
        return False
    workshops = (
        WorkshopPage.objects.descendant_of(index_page)
        .filter(facilitator_materials__document=document)
        .distinct()
    )
    return any(can_see_facilitator_material(user, workshop) for workshop in workshops)
