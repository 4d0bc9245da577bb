"""Facilitators' pages: my sessions, a session's roster and register, its check-in code and QR
(and, once completed, its walk-in feedback QR), and the public check-in page participants use in
the room.

Thin: who may run a session is `access.can_run_session`, attendance rules are `attendance.py`.
"""

import io
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerpath.certificates.links import absolute_url
from peerpath.ratelimit import is_rate_limited, too_many_requests
from peerpath.workshops.models import MAX_GROUP_SIZE

from . import attendance, debriefs, feedback
from .access import can_run_session
from .choices import BookingStatus, SessionStatus
from .models import Booking, RosterAssignment, Session
from .signposting import services_for

#: Upcoming sessions listed on "My sessions" (a series lists a few months of dates at most).
MAX_UPCOMING = 100
#: Past sessions still to complete listed on "My sessions".
MAX_TO_COMPLETE = 5
#: Where this browser remembers the sessions it checked in to, to show the confirmation.
CHECKED_IN_KEY = "peerpath_meetings_checked_in"


class AttendanceForm(forms.Form):
    """The register: who of those with a place came, and how many came without booking.

    The hidden `shown_*` fields carry what the register showed, so `attendance.mark_attendance`
    applies only the facilitator's changes and keeps check-ins made meanwhile.
    """

    came = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    walk_ins = forms.IntegerField(
        label=gettext_lazy("Walk-ins (people who came without booking)"),
        min_value=0,
        max_value=MAX_GROUP_SIZE,
    )
    shown_came = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.MultipleHiddenInput
    )
    shown_walk_ins = forms.IntegerField(
        min_value=0, max_value=MAX_GROUP_SIZE, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, session, bookings, **kwargs):
        came = [booking.pk for booking in bookings if booking.attended]
        kwargs.setdefault(
            "initial",
            {
                "came": came,
                "walk_ins": session.walk_ins,
                "shown_came": came,
                "shown_walk_ins": session.walk_ins,
            },
        )
        super().__init__(*args, **kwargs)
        choices = [(booking.pk, booking.display_name) for booking in bookings]
        self.fields["came"].choices = choices
        self.fields["shown_came"].choices = choices


class CheckInForm(forms.Form):
    """Self check-in: the code shown in the room, and the e-mail or mobile number booked with."""

    BOOKED, WALK_IN, ACCOUNT = "booked", "walk_in", "account"

    code = forms.CharField(label=gettext_lazy("Code shown in the room"), max_length=20)
    contact = forms.CharField(
        label=gettext_lazy("E-mail address or mobile number you booked with"),
        max_length=254,
        required=False,
    )
    action = forms.ChoiceField(
        label=gettext_lazy("How you check in"),
        choices=[(BOOKED, BOOKED), (WALK_IN, WALK_IN), (ACCOUNT, ACCOUNT)],
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Press “Check in” or “I didn't book”."),
            "invalid_choice": gettext_lazy("Press “Check in” or “I didn't book”."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.BOOKED and not cleaned.get("contact", "").strip():
            self.add_error(
                "contact", _("Give the e-mail address or mobile number you booked with.")
            )
        return cleaned


def _session_or_404(pk, queryset=None):
    queryset = Session.objects.all() if queryset is None else queryset
    return get_object_or_404(
        queryset.select_related("workshop", "workshop__programme", "organisation"), pk=pk
    )


def _forbidden(request, session):
    return render(request, "meetings/facilitator/forbidden.html", {"session": session}, status=403)


def _sessions_led_by(user, now):
    """The user's upcoming sessions and their past ones still to complete, each with the user's
    own roster place (`my_place`) and the others on the roster (`others`): four queries."""
    mine = RosterAssignment.objects.filter(facilitator=user).values("session_id")
    sessions = (
        Session.objects.filter(pk__in=mine, status=SessionStatus.SCHEDULED)
        .select_related("workshop", "organisation")
        .annotate(waiting_count=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)))
        .prefetch_related(
            Prefetch(
                "roster",
                # "lead" sorts after "co": descending puts the lead first.
                queryset=RosterAssignment.objects.select_related("facilitator").order_by(
                    "-role", "pk"
                ),
            )
        )
    )
    upcoming = list(sessions.filter(ends_at__gt=now).order_by("starts_at", "pk")[:MAX_UPCOMING])
    to_complete = list(
        sessions.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[:MAX_TO_COMPLETE]
    )
    for session in upcoming + to_complete:
        roster = list(session.roster.all())
        session.my_place = next((a for a in roster if a.facilitator_id == user.pk), None)
        session.others = [a for a in roster if a.facilitator_id != user.pk]
    return upcoming, to_complete


@never_cache
@login_required
@require_GET
def my_sessions(request):
    """The signed-in facilitator's sessions: what is coming up, and what is still to complete."""
    now = timezone.now()
    upcoming, to_complete = _sessions_led_by(request.user, now)
    return render(
        request,
        "meetings/facilitator/my_sessions.html",
        {
            "upcoming": upcoming,
            "to_complete": to_complete,
            "awaiting_debrief": debriefs.awaiting_debrief(request.user, now),
            "debrief_due_days": debriefs.DEBRIEF_DUE_DAYS,
        },
    )


def _confirmed_bookings(session):
    return list(
        Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def _render_roster(request, session, *, form=None, error=None, status=200):
    now = timezone.now()
    bookings = _confirmed_bookings(session)
    register_problem = attendance.register_problem(session, now)
    register_open = register_problem is None
    if form is None and register_open:
        form = AttendanceForm(session=session, bookings=bookings)
    checkboxes = {}
    if register_open:
        checkboxes = {int(checkbox.data["value"]): checkbox for checkbox in form["came"]}
    workshop = session.workshop
    return render(
        request,
        "meetings/facilitator/roster.html",
        {
            "session": session,
            "workshop": workshop,
            "organisation": session.organisation,
            "rows": [(booking, checkboxes.get(booking.pk)) for booking in bookings],
            "waiting_count": Booking.objects.filter(session=session).waiting().count(),
            "roster": session.roster.select_related("facilitator").order_by("-role", "pk"),
            "facilitator_materials": workshop.facilitator_materials.select_related("document"),
            "form": form if register_open else None,
            "register_problem": register_problem,
            "can_complete": attendance.completion_problem(session, now) is None,
            "check_in_open": attendance.check_in_problem(session, now) is None,
            "check_in_url": _check_in_url(session),
            "walk_in_feedback": feedback.walk_in_panel(session, now),
            "debrief_state": debriefs.debrief_state(request.user, session, now),
            "services": services_for(session.organisation),
            "error": error,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def roster(request, pk):
    """A session's roster and register, for those who run it (`can_run_session`)."""
    session = _session_or_404(pk)
    if not can_run_session(request.user, session):
        return _forbidden(request, session)
    if request.method == "GET":
        return _render_roster(request, session)
    problem = attendance.register_problem(session)
    if problem:
        return _render_roster(request, session, error=problem, status=400)
    form = AttendanceForm(request.POST, session=session, bookings=_confirmed_bookings(session))
    if not form.is_valid():
        return _render_roster(request, session, form=form, status=400)
    # The hidden walk-ins count is always on the page, so its presence says the register came
    # from it: apply only the changes. (No hidden booking ids just means none were ticked.)
    shown_walk_ins = form.cleaned_data["shown_walk_ins"]
    try:
        attendance.mark_attendance(
            session,
            form.cleaned_data["came"],
            form.cleaned_data["walk_ins"],
            shown_came=form.cleaned_data["shown_came"] if shown_walk_ins is not None else None,
            shown_walk_ins=shown_walk_ins,
        )
    except attendance.AttendanceRefused as refused:
        return _render_roster(request, session, form=form, error=refused.message, status=400)
    messages.success(request, _("Attendance saved."))
    return redirect("meetings:roster", pk=session.pk)


@never_cache
@login_required
@require_POST
def complete(request, pk):
    """Complete a session that has started: its attendance count is recorded once."""
    session = _session_or_404(pk)
    if not can_run_session(request.user, session):
        return _forbidden(request, session)
    try:
        session = attendance.complete_session(session)
    except attendance.AttendanceRefused as refused:
        session.refresh_from_db()
        return _render_roster(request, session, error=refused.message, status=400)
    messages.success(
        request,
        _("Session completed. Attendance recorded: %(count)s.")
        % {"count": session.attendance_count},
    )
    if debriefs.is_lead(request.user, session):
        return redirect("meetings:debrief", pk=session.pk)
    return redirect("meetings:roster", pk=session.pk)


def _check_in_url(session):
    """The absolute address of the session's check-in page with its code: what the QR encodes."""
    path = reverse("meetings:check_in", args=[session.pk])
    return absolute_url(f"{path}?{urlencode({'code': session.check_in_code})}")


@login_required
@require_GET
def check_in_qr(request, pk):
    """The QR code (SVG) of the check-in page with the code, shown in the room."""
    session = _session_or_404(pk)
    if not can_run_session(request.user, session):
        return _forbidden(request, session)
    return _qr_code(_check_in_url(session), _("QR code to check in"))


@login_required
@require_GET
def feedback_qr(request, pk):
    """The QR code (SVG) of the walk-in feedback page with the code, shown in the room at the end."""
    session = _session_or_404(pk)
    if not can_run_session(request.user, session):
        return _forbidden(request, session)
    return _qr_code(feedback.walk_in_url(session), _("QR code to give feedback"))


def _qr_code(url, title):
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=8, border=2, title=title)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    # The code in it lets anyone in the room check in or answer: never kept by a shared cache or
    # the browser.
    response["Cache-Control"] = "private, no-store"
    return response


def _render_check_in(request, session, form, *, error=None, status=200):
    user = request.user
    account_booking = (
        attendance.matching_booking(session, user=user) if user.is_authenticated else None
    )
    return render(
        request,
        "meetings/check_in.html",
        {
            "session": session,
            "form": form,
            "error": error,
            "problem": attendance.check_in_problem(session),
            "account_booking": account_booking,
            "checked_in": session.pk in request.session.get(CHECKED_IN_KEY, []),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def check_in(request, pk):
    """Participants in the room check themselves in with the code shown there (public)."""
    session = _session_or_404(pk, Session.objects.public())
    if request.method == "GET":
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:20]})
        return _render_check_in(request, session, form)
    if is_rate_limited(request, "check_in"):
        return too_many_requests(request, "check_in", "meetings/check_in_rate_limited.html")
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _render_check_in(request, session, form, status=400)
    action, code = form.cleaned_data["action"], form.cleaned_data["code"]
    contact = form.cleaned_data["contact"].strip()
    try:
        if action == CheckInForm.WALK_IN:
            attendance.record_walk_in(session, code)
        elif action == CheckInForm.ACCOUNT:
            if not request.user.is_authenticated:
                raise attendance.AttendanceRefused(attendance.NOT_MATCHED, "not_matched")
            attendance.check_in(session, code, user=request.user)
        elif "@" in contact:
            attendance.check_in(session, code, email=contact)
        else:
            attendance.check_in(session, code, phone=contact)
    except attendance.AttendanceRefused as refused:
        return _render_check_in(request, session, form, error=refused.message, status=400)
    checked_in = request.session.get(CHECKED_IN_KEY, [])
    request.session[CHECKED_IN_KEY] = [*checked_in[-19:], session.pk]
    messages.success(request, _("You're checked in. Welcome!"))
    return redirect("meetings:check_in", pk=session.pk)
