"""The facilitator's feedback page: their confirmed sessions and hours, and how participants found
their sessions, in aggregate only (`quality.py` suppresses small numbers)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import quality

#: Released comments shown per page.
COMMENTS_PER_PAGE = 10


@never_cache
@login_required
@require_GET
def my_feedback(request):
    """The signed-in facilitator's record and feedback: never a figure for one session, and only
    the comments staff released."""
    paginator = Paginator(quality.released_comments_for(request.user), COMMENTS_PER_PAGE)
    return render(
        request,
        "meetings/quality/my_feedback.html",
        {
            "summary": quality.facilitator_summary(request.user),
            "comments": paginator.get_page(request.GET.get("page")),
        },
    )
