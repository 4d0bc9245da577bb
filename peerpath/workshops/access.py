"""Who may see facilitator-only material: the one rule, asked afresh on every request.

`can_see_facilitator_material` is the only place the rule lives. The workshop page, the facilitator
pack, the facilitation log and document downloads (`documents.py`) all call it. It takes the
workshop page it is asked about, so it needs none of this app's models. Nothing caches its answer between
requests, so a certificate that expires or is revoked stops unlocking material at once.
"""

from peerpath.certificates.access import holds_valid_certificate


def can_see_facilitator_material(user, workshop):
    """True if `user` may see `workshop`'s facilitator notes, protocol, materials and pack.

    Allowed: superusers; anyone who may edit the page in the Wagtail admin (the organisation's
    editors); and holders of a valid or provisional certificate for the workshop's required
    programme (not a suspended, lapsed or expired one: `certificates.access`). A workshop without
    a programme is open to editors only.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if workshop.permissions_for_user(user).can_edit():
        return True
    return holds_valid_certificate(user, workshop.programme_id)
