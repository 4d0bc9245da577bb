"""The signed link that lets a participant without an account see, and cancel, their booking.

The token is the booking's random public id signed with the site's secret key (Django's
`signing`), so a tampered or made-up link is refused, and the bare id is never enough. A link stops
working once the booking's contact details are removed (`Booking.anonymised_at`).
"""

from django.core import signing
from django.urls import reverse

from peerpath.certificates.links import absolute_url

from .models import Booking

SALT = "peerpath.meetings.booking"


def booking_token(booking):
    return signing.dumps(str(booking.public_id), salt=SALT)


def booking_from_token(token):
    """The booking `token` names, or None for a tampered, unknown or expired one."""
    try:
        public_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return (
        Booking.objects.filter(public_id=public_id, anonymised_at__isnull=True)
        .select_related("session", "session__workshop", "session__organisation", "user")
        .first()
    )


def manage_path(booking):
    return reverse("meetings:booking", args=[booking_token(booking)])


def manage_url(booking):
    """The absolute address of the booking's page (in every message about the booking)."""
    return absolute_url(manage_path(booking))


def session_url(session):
    return absolute_url(reverse("meetings:session", args=[session.pk]))
