"""The "Upcoming sessions" section of a workshop's page.

Workshops sit below sessions in the app layers and never import them: the workshop page asks the
`peerpath_workshop_page_panels` hook for extra sections (`WorkshopPage.extra_panels`), and this
module answers it. `MeetingsConfig.ready()` imports it so the hook is registered at start-up.
"""

from wagtail import hooks

from peerpath.workshops.models import WORKSHOP_PAGE_PANELS_HOOK

from .finder import finder_sessions

#: How many of the next dates the workshop's page lists; the finder has the rest.
SHOWN = 5


@hooks.register(WORKSHOP_PAGE_PANELS_HOOK)
def upcoming_sessions_panel(page, request):
    """The next few dates of `page`, with places left, and links to all of them (one query)."""
    sessions = list(finder_sessions().filter(workshop_id=page.pk)[: SHOWN + 1])
    return (
        "meetings/includes/workshop_sessions.html",
        {
            "workshop": page,
            # Already looked up for the page itself (a cached property): no extra query.
            "organisation": page.organisation,
            "sessions": sessions[:SHOWN],
            "has_more": len(sessions) > SHOWN,
        },
    )
