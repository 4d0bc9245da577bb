"""An invitation's link: its `public_id` and current `nonce`, signed, on the site's public address.

Made by the e-mail task (`invitation_emails`) and read by `invitations.invitation_for_token`; the
signature only proves the link was made here. Whether it still works (expiry, a newer nonce, used
or withdrawn) is the invitation row's to say, so re-sending or revoking takes effect at once.
"""

from django.core import signing
from django.urls import reverse

from peerpath.accounts.links import absolute

SALT = "peerpath.coordination.invitation"


def token_for(invitation):
    return signing.dumps({"i": str(invitation.public_id), "n": invitation.nonce}, salt=SALT)


def read_token(token):
    """(public_id, nonce) from a token; raises `signing.BadSignature` for one not made here."""
    payload = signing.loads(token, salt=SALT)
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), str):
        raise signing.BadSignature("Not an invitation token.")
    return payload["i"], payload.get("n")


def accept_path(invitation):
    return reverse("coordination:accept", args=[token_for(invitation)])


def accept_url(invitation):
    return absolute(accept_path(invitation))
