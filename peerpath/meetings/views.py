"""Sessions' public pages: find a group, a session, booking without an account, the booking's own
page (through its signed link), and calendar files.

Thin: the finder's query is `finder.py`, booking and cancelling are `booking.py`, who may see a
joining link on the facilitator's side is `access.py`, the .ics files are `calendar.py`.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from peerpath.conf import setting
from peerpath.organisations.models import Organisation
from peerpath.ratelimit import is_rate_limited, too_many_requests
from peerpath.workshops.models import WorkshopPage

from . import booking as booking_service
from . import calendar, links
from . import finder as finder_service
from .access import joining_link_for
from .choices import SessionStatus
from .forms import AccountBookingForm, BookingForm
from .models import ACTIVE, Booking, Session

#: The most sessions a calendar feed carries (soonest first): a year of weekly groups and more.
FEED_MAX = 500
#: HTTP status of a refused booking: the request was fine, the session's state is the problem.
REFUSAL_STATUS = {"contact": 400}


def _public_session(pk):
    """A session of a live, public workshop, or 404 (unpublished and private workshops too)."""
    return get_object_or_404(
        Session.objects.public().select_related("workshop", "organisation"), pk=pk
    )


def _see_other(url):
    """303: after a POST, the browser fetches the next page with GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _calendar_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def _private(response):
    """A page about one person's booking: never stored by shared caches, never indexed."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The address holds the booking's token: it must not travel to the joining link's host.
    # "same-origin", not "no-referrer": browsers then send `Origin: null` with the page's own
    # cancel form, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


def _session_filename(session):
    return f"{slugify(session.workshop.title) or 'session'}-{session.local_start:%Y-%m-%d}"


# -- Find a group -------------------------------------------------------------------------------


@require_GET
def finder(request):
    """`/groups/`: upcoming sessions across organisations, filtered, searched and paginated."""
    results_html = finder_service.cached_results(request)
    return render(request, "meetings/finder.html", {"results_html": results_html})


# -- One session and booking it -----------------------------------------------------------------


def _account_booking(user, session):
    """The signed-in user's own active booking of `session`, if any."""
    if not user.is_authenticated:
        return None
    return Booking.objects.filter(session=session, user=user).active().first()


def _session_page(request, session, *, form=None, refusal="", status=200):
    """Render a session's page; the booking form unless the session cannot be booked."""
    now = timezone.now()
    own_booking = _account_booking(request.user, session)
    problem = booking_service.booking_problem(session, now)
    if form is None and not problem and own_booking is None:
        form = AccountBookingForm() if request.user.is_authenticated else BookingForm()
    if problem or own_booking is not None:
        form = None
    joining_link = joining_link_for(session, booking=own_booking, user=request.user)
    context = {
        "session": session,
        "workshop": session.workshop,
        "organisation": session.organisation,
        "form": form,
        "refusal": refusal,
        "problem": problem,
        "own_booking": own_booking,
        "own_booking_path": links.manage_path(own_booking) if own_booking else "",
        "joining_link": joining_link,
        "is_upcoming": session.status == SessionStatus.SCHEDULED and session.ends_at > now,
        "opens_later": session.booking_opens_at is not None and now < session.booking_opens_at,
        "closes_later": session.booking_closes_at is not None and now < session.booking_closes_at,
        "retention_days": setting("PARTICIPANT_RETENTION_DAYS"),
    }
    return render(request, "meetings/session.html", context, status=status)


@require_GET
def session_detail(request, pk):
    """`/groups/<pk>/`: when and where, places left, and the booking form."""
    return _session_page(request, _public_session(pk))


@require_POST
def book(request, pk):
    """Book a place (or a place on the waiting list), then go to the booking's own page."""
    if is_rate_limited(request, "booking"):
        return too_many_requests(request, "booking", "meetings/rate_limited.html")
    session = _public_session(pk)
    signed_in = request.user.is_authenticated
    form = AccountBookingForm(request.POST) if signed_in else BookingForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, form=form, status=400)
    details = form.cleaned_data
    try:
        if signed_in:
            booking = booking_service.book(
                session, user=request.user, access_needs=details["access_needs"]
            )
        else:
            booking = booking_service.book(
                session,
                first_name=details["first_name"],
                email=details["email"],
                phone=details["phone"],
                access_needs=details["access_needs"],
            )
    except booking_service.BookingRefused as refused:
        # The session may have changed under the lock (full, closed): show it as it is now.
        session.refresh_from_db()
        return _session_page(
            request,
            session,
            form=form,
            refusal=refused.message,
            status=REFUSAL_STATUS.get(refused.code, 409),
        )
    if booking.is_confirmed:
        messages.success(request, _("Your place is booked."))
    else:
        messages.success(
            request,
            _(
                "The session is full, so you are on the waiting list. "
                "We will tell you if a place comes up."
            ),
        )
    return _see_other(links.manage_path(booking))


# -- Calendars ----------------------------------------------------------------------------------


@require_GET
def session_calendar(request, pk):
    """One session's public .ics file: never with the joining link."""
    session = _public_session(pk)
    return _calendar_response(calendar.session_ics(session), _session_filename(session))


@require_GET
def workshop_feed(request, page_id):
    """The upcoming sessions of one public workshop, as a calendar to subscribe to."""
    # By `id`, not `pk` (the parent link): out-of-range ids are then a 404, not a 500.
    workshop = get_object_or_404(WorkshopPage.objects.live().public(), id=page_id)
    sessions = finder_service.finder_sessions().filter(workshop=workshop)[:FEED_MAX]
    return _calendar_response(
        calendar.feed_ics(sessions, workshop.title), slugify(workshop.title) or "sessions"
    )


@require_GET
def organisation_feed(request, slug):
    """The upcoming public sessions of one organisation, as a calendar to subscribe to."""
    organisation = get_object_or_404(Organisation, slug=slug)
    sessions = finder_service.finder_sessions().filter(organisation=organisation)[:FEED_MAX]
    return _calendar_response(
        calendar.feed_ics(sessions, organisation.name), f"{organisation.slug}-sessions"
    )


# -- A booking, through its signed link ---------------------------------------------------------


def _booking_not_found(request):
    return _private(render(request, "meetings/booking_not_found.html", status=404))


@never_cache
@require_GET
def manage_booking(request, token):
    """The booking's own page: what was booked, the waiting-list place, the joining link for a
    confirmed online place, the calendar file and the cancel button."""
    booking = links.booking_from_token(token)
    if booking is None:
        return _booking_not_found(request)
    session = booking.session
    now = timezone.now()
    is_active = booking.status in ACTIVE
    context = {
        "booking": booking,
        "session": session,
        "workshop": session.workshop,
        "organisation": session.organisation,
        "token": token,
        "is_active": is_active,
        "position": booking.waiting_position() if booking.is_waiting else None,
        "joining_link": joining_link_for(session, booking=booking),
        "can_cancel": (
            is_active and session.status == SessionStatus.SCHEDULED and session.starts_at > now
        ),
        "retention_days": setting("PARTICIPANT_RETENTION_DAYS"),
    }
    return _private(render(request, "meetings/booking.html", context))


@never_cache
@require_POST
def cancel_booking(request, token):
    """Cancel the booking (the first person waiting gets the place), then show its page."""
    booking = links.booking_from_token(token)
    if booking is None:
        return _booking_not_found(request)
    try:
        booking_service.cancel(booking)
    except booking_service.BookingRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your booking is cancelled. Thank you for letting us know."))
    return _see_other(links.manage_path(booking))


@never_cache
@require_GET
def booking_calendar(request, token):
    """The .ics file of a booking: with the joining link when the place is confirmed."""
    booking = links.booking_from_token(token)
    if booking is None or booking.status not in ACTIVE:
        return _booking_not_found(request)
    session = booking.session
    content = calendar.session_ics(
        session, include_joining_link=bool(joining_link_for(session, booking=booking))
    )
    return _private(_calendar_response(content, _session_filename(session)))
