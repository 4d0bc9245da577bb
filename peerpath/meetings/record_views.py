"""The facilitator's "My facilitation record": confirm their part of a session, say an entry is not
right, and see each entry's status and what renewal counts.

Thin: who may confirm or dispute what is `record.py`'s; the totals are `workshops.logbook`'s.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerpath.workshops import logbook
from peerpath.workshops.models import FacilitationLogEntry

from . import record

#: Entries listed per page of the record.
ENTRIES_PER_PAGE = 50
#: How each kind of refusal is answered (anything else: 400).
REFUSAL_STATUS = {"already": 409, "queried": 409, "own_lead": 403, "own": 403}


class DisputeForm(forms.Form):
    """What is not right about an entry made from a session, for the organisation's staff."""

    note = forms.CharField(
        label=gettext_lazy("What is not right?"),
        max_length=record.MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "For example: I was not at this session, I led it rather than co-facilitated, or "
            "the number who came is wrong. Your organisation's staff read this. Please do not "
            "name participants."
        ),
    )


def _entry_or_404(user, pk):
    """`user`'s own entry `pk`; anyone else's is not found."""
    return get_object_or_404(
        FacilitationLogEntry.objects.select_related("session_record__organisation"),
        pk=pk,
        facilitator=user,
    )


def _refused(request, refused):
    """A refusal from `record.py` as a response: not found is a 404, anything else the record
    page with the message."""
    if refused.code == "not_found":
        raise Http404(refused.message)
    return _render_record(
        request, error=refused.message, status=REFUSAL_STATUS.get(refused.code, 400)
    )


def _render_record(request, *, error=None, status=200):
    user = request.user
    entries = Paginator(logbook.entries_for(user), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for entry in entries:
        entry.can_dispute = record.dispute_refusal(user, entry) is None
    return render(
        request,
        "meetings/record/my_record.html",
        {
            "to_confirm": list(record.awaiting_my_confirmation(user)),
            "entries": entries,
            "totals": logbook.totals_for(user),
            "error": error,
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def my_record(request):
    """The signed-in facilitator's record: their part to confirm, every entry with its status,
    and the totals renewal counts."""
    return _render_record(request)


@never_cache
@login_required
@require_POST
def confirm(request, pk):
    """Confirm the signed-in co-facilitator's part in a session (and so the lead's, if it is
    still awaiting)."""
    entry = _entry_or_404(request.user, pk)
    try:
        record.confirm_part(request.user, entry)
    except record.RecordRefused as refused:
        return _refused(request, refused)
    messages.success(
        request,
        _("Thank you: your part in %(workshop)s on %(date)s is confirmed and now counts.")
        % {"workshop": entry.workshop_title, "date": date_format(entry.date, "j M Y")},
    )
    return redirect("meetings:record")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def dispute(request, pk):
    """Say what is not right about one of the signed-in facilitator's entries made from a
    session: it is queried with the note, for the organisation's staff to settle."""
    entry = _entry_or_404(request.user, pk)
    refusal = record.dispute_refusal(request.user, entry)
    if refusal:
        return _refused(request, refusal)
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record.dispute_part(request.user, entry, form.cleaned_data["note"])
        except record.RecordRefused as refused:
            if refused.code != "invalid":
                return _refused(request, refused)
            form.add_error("note", refused.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you for saying so. The entry is queried: it does not count until your "
                    "organisation's staff have looked at it."
                ),
            )
            return redirect("meetings:record")
    return render(
        request,
        "meetings/record/dispute.html",
        {"entry": entry, "form": form},
        status=400 if form.is_bound else 200,
    )
