from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Sessions of workshops: schedules, rosters, bookings, waiting lists, reminders, attendance."""

    name = "peerpath.meetings"
    label = "peerpath_meetings"
    verbose_name = _("PeerPath sessions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import finder, permissions, privacy, signposting, wagtail_panels  # noqa: F401

        # Importing them registers the workshop page's "Upcoming sessions" section (the
        # peerpath_workshop_page_panels hook: Wagtail finds only wagtail_hooks.py by itself) and
        # the signals that refresh the finder's shared list when a session changes.

        # Participants' and facilitators' data in the account export and erasure.
        privacy.connect()
        # An organisation's staff manage its sessions: permissions given when it is set up.
        permissions.connect()
        # Every organisation starts with the usual signposting categories.
        signposting.connect()
