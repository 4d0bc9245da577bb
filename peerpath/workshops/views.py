"""Workshop packs and the facilitation log. Thin: rules live in access.py and logbook.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from peerpath.ratelimit import is_rate_limited, too_many_requests

from . import logbook, packs
from .access import can_see_facilitator_material
from .forms import FacilitationLogEntryForm
from .models import FacilitationLogEntry, WorkshopPage

LOG_PER_PAGE = 50
#: The rate-limit counter the public handout counts in, per client (`certificates.ratelimit`).


def _public_workshop(page_id):
    # By `id`, not `pk` (the parent link): out-of-range ids are then a 404, not a 500.
    return get_object_or_404(
        WorkshopPage.objects.live().public().select_related("programme"), id=page_id
    )


def _pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Facilitator packs must not be kept by shared caches once access ends.
    response["Cache-Control"] = "private, no-store"
    return response


def refuse(request, *, workshop=None, what=None):
    """The 403 page: what certification unlocks this material and where to get it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "workshops/forbidden.html",
        {"workshop": workshop, "what": what, "programme": getattr(workshop, "programme", None)},
        status=403,
    )


@require_GET
def participant_handout(request, page_id):
    """The participant handout of a live workshop, for anyone, a limited number of times a
    minute per client (rendering one is costly; `packs` renders each version once)."""
    if is_rate_limited(request, "handout"):
        return too_many_requests(request, "handout", "workshops/rate_limited.html")
    workshop = _public_workshop(page_id)
    site = Site.find_for_request(request)
    return _pdf_response(
        packs.participant_handout(workshop, site), packs.filename(workshop, "handout")
    )


@require_GET
def facilitator_pack(request, page_id):
    """The facilitator pack, for those the access rule allows; a 403 page for everyone else."""
    workshop = _public_workshop(page_id)
    if not can_see_facilitator_material(request.user, workshop):
        return refuse(request, workshop=workshop, what=_("the facilitator pack"))
    site = Site.find_for_request(request)
    return _pdf_response(
        packs.facilitator_pack(workshop, site), packs.filename(workshop, "facilitator-pack")
    )


def _render_log(request, form, workshops, *, error=None, status=200):
    return render(
        request,
        "workshops/facilitation_log.html",
        {
            "form": form,
            "can_log": workshops.exists(),
            "entries": Paginator(logbook.entries_for(request.user), LOG_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "totals": logbook.totals_for(request.user),
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def facilitation_log(request):
    """The signed-in facilitator's own log: record a session (self-reported), see entries, each
    with where it stands, and totals."""
    workshops = logbook.loggable_workshops(request.user)
    form = FacilitationLogEntryForm(
        request.POST or None, facilitator=request.user, workshops=workshops
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Session recorded."))
        return redirect("workshops:log")
    return _render_log(request, form, workshops, status=400 if form.is_bound else 200)


@login_required
@require_POST
def delete_log_entry(request, pk):
    """Delete one of the signed-in facilitator's own self-reported entries; anyone else's is a
    404, and one made from a session is refused (409) and stays."""
    entry = get_object_or_404(FacilitationLogEntry, pk=pk, facilitator=request.user)
    if not logbook.can_delete(entry):
        workshops = logbook.loggable_workshops(request.user)
        form = FacilitationLogEntryForm(facilitator=request.user, workshops=workshops)
        return _render_log(
            request,
            form,
            workshops,
            error=_(
                "That entry was made from a session you ran through PeerPath, so it stays in "
                "your record: others confirm it. If something about it is not right, say so on "
                "your facilitation record page."
            ),
            status=409,
        )
    entry.delete()
    messages.success(request, _("Log entry deleted."))
    return redirect("workshops:log")
