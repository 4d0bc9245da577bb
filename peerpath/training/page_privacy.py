"""Wagtail's page privacy, applied to training's own views.

An editor can make a programme private in Wagtail ("Privacy": a password, signed-in users only, or
members of some groups), and its modules inherit the restriction. Wagtail checks it when it serves
a page; training's actions (**Enrol**, **Mark as complete**, **Submit answers**, **I agree**,
restart, reflections) and the practice log are views of their own, so each asks `refusal` first.
It decides with Wagtail's public API (`get_view_restrictions`, `accept_request`), so a learner
may act exactly when serving the page would show it to them, and a password already given in this
session counts.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import PageViewRestriction

SAFE_METHODS = ("GET", "HEAD")


def refusal(request, page, return_url=None):
    """None if `request` may view `page`; otherwise what to answer instead of acting.

    - A password not given yet in this session: Wagtail's password form for the page, as serving
      it would show. After the password the learner goes to `return_url`: by default this URL for
      a GET, the page itself for a POST (an action's URL only takes POSTs).
    - Signed-in users or groups only, to a visitor who is not signed in: log in, then come back.
    - Groups only, to a signed-in learner outside them: 403 with the reason. Wagtail would send
      them to log in, but they already are, and the site's log-in page sends signed-in people
      straight back; a 404 would hide nothing, since the page itself says it is restricted.

    Nothing of the page is rendered in any of these answers, and none may be cached.
    """
    for restriction in page.get_view_restrictions():
        if restriction.accept_request(request):
            continue
        back = return_url or (
            request.get_full_path() if request.method in SAFE_METHODS else page.url
        )
        if restriction.restriction_type == PageViewRestriction.PASSWORD:
            form = PasswordViewRestrictionForm(instance=restriction, initial={"return_url": back})
            action_url = reverse(
                "wagtailcore_authenticate_with_password", args=[restriction.id, page.id]
            )
            response = page.serve_password_required_response(request, form, action_url)
        elif request.user.is_authenticated:
            raise PermissionDenied(
                _(
                    "This programme is open only to members of particular groups. Ask the "
                    "people who run it if you should have access."
                )
            )
        else:
            response = redirect_to_login(back)
        add_never_cache_headers(response)
        return response
    return None
