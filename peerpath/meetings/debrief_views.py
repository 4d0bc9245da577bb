"""The debrief page: the lead facilitator files a session's debrief; once filed, those who run the
session read it there.

Thin: who may file what is `debriefs.py`'s, who may see the page is `access.can_run_session`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import debriefs
from .access import can_run_session, is_organisation_staff
from .attendance import attended_count
from .debrief_forms import DebriefForm
from .models import Debrief, Session
from .refusals import Refused
from .signposting import services_for

#: The HTTP status of each kind of refusal.
REFUSAL_STATUS = {"not_lead": 403, "filed": 409, "closed": 409}


def _filed_debrief(session):
    return (
        Debrief.objects.filter(session=session)
        .select_related("filed_by", "safeguarding", "safeguarding__raised_by")
        .prefetch_related("signposting")
        .first()
    )


def _render(request, session, *, form=None, error=None, status=200):
    user = request.user
    filed = _filed_debrief(session)
    problem = None
    if filed is None and form is None:
        problem = debriefs.debrief_problem(user, session)
        if problem is None:
            form = DebriefForm(session=session, recorded_attendance=attended_count(session))
    lead = debriefs.lead_of(session)
    return render(
        request,
        "meetings/facilitator/debrief.html",
        {
            "session": session,
            "workshop": session.workshop,
            "organisation": session.organisation,
            "lead": lead,
            "debrief": filed,
            # What happened is for the safeguarding lead: the facilitator who wrote it and the
            # organisation's staff read it here, the co-facilitators only that one was raised.
            "show_concern": filed is not None
            and (filed.filed_by_id == user.pk or is_organisation_staff(user, session)),
            "form": None if filed else form,
            "problem": problem,
            "error": error,
            "services": services_for(session.organisation),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def debrief(request, pk):
    """A session's debrief: the form for its lead until it is filed, then the debrief itself."""
    session = get_object_or_404(Session.objects.select_related("workshop", "organisation"), pk=pk)
    if not can_run_session(request.user, session):
        return render(
            request, "meetings/facilitator/forbidden.html", {"session": session}, status=403
        )
    if request.method == "GET":
        return _render(request, session)
    refusal = debriefs.debrief_refusal(request.user, session)
    if refusal:
        return _render(
            request, session, error=refusal.message, status=REFUSAL_STATUS.get(refusal.code, 400)
        )
    form = DebriefForm(request.POST, session=session, recorded_attendance=attended_count(session))
    if not form.is_valid():
        return _render(request, session, form=form, status=400)
    data = form.cleaned_data
    try:
        filed = debriefs.file_debrief(
            session,
            request.user,
            attendance=data["attendance"],
            how_it_went=data["how_it_went"],
            notes=data["notes"],
            signposting=data["signposting"],
            fidelity=data["fidelity"],
            concern_summary=form.concern_to_raise(),
        )
    except Refused as refused:
        return _render(
            request,
            session,
            form=form,
            error=refused.message,
            status=REFUSAL_STATUS.get(refused.code, 400),
        )
    messages.success(request, _("Thank you: the debrief is filed."))
    if filed.concern:
        messages.info(
            request,
            _(
                "Your safeguarding concern is being sent to %(organisation)s's safeguarding lead, "
                "who may contact you."
            )
            % {"organisation": session.organisation.name},
        )
    return redirect("meetings:debrief", pk=session.pk)
