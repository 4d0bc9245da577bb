"""Participants' anonymous feedback pages: no account needed, never cached, never indexed.

`/groups/feedback/<token>/` answers through the one-time link sent after the session;
`/groups/feedback/` lets people who came without booking answer with the code shown in the room
(rate limited per client, as check-in is). Thin: every rule is `feedback.py`'s.
"""

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from peerpath.ratelimit import is_rate_limited, too_many_requests

from . import feedback as feedback_service
from .feedback import FeedbackRefused
from .models import FeedbackResponse

# The link's address holds its token: no Referer may carry the path anywhere, our own static
# files included. "strict-origin" sends the site's origin only; "no-referrer" would do too, but
# browsers then send `Origin: null` with the page's own form, which Django's CSRF check refuses.
REFERRER_POLICY = "strict-origin"

#: The HTTP status of each refusal: a link the site never made is not found; one used, expired
#: or for a cancelled session is gone; bad answers or a wrong code are the asker's to correct.
STATUS = {"unknown": 404, "invalid": 400, "wrong_code": 400, "closed": 400}
GONE = 410


def statement_field(name):
    return forms.TypedChoiceField(
        label=FeedbackResponse._meta.get_field(name).verbose_name,
        choices=feedback_service.SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose how much you agree, or disagree."),
            "invalid_choice": gettext_lazy("Choose one of the five answers."),
        },
    )


class FeedbackForm(forms.Form):
    """The three statements on a 5-point scale, and an optional comment."""

    felt_safe = statement_field("felt_safe")
    felt_heard = statement_field("felt_heard")
    would_return = statement_field("would_return")
    comment = forms.CharField(
        label=gettext_lazy("Anything else you would like to tell us? (optional)"),
        help_text=gettext_lazy(
            "Comments are read by the organisation's staff. They are not shared with the "
            "facilitators unless the staff choose to, without anything that could identify you. "
            "Please do not write your name or anyone else's."
        ),
        max_length=feedback_service.COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CodeForm(forms.Form):
    """The walk-in code shown in the room at the end of the session."""

    code = forms.CharField(
        label=gettext_lazy("Code shown at the end of the session"),
        help_text=gettext_lazy("Six letters and numbers, for example K7Q-2MX."),
        max_length=20,
        error_messages={"required": gettext_lazy("Enter the code shown in the room.")},
    )


class WalkInFeedbackForm(FeedbackForm):
    """The feedback form for walk-ins: the same questions, with the code they gave."""

    code = forms.CharField(max_length=20, widget=forms.HiddenInput)


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = REFERRER_POLICY
    return response


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return _private(response)


def _answers(form):
    return {name: form.cleaned_data[name] for name in (*FeedbackResponse.STATEMENTS, "comment")}


def _render_form(request, session, form, *, action, error=None, status=200):
    return _private(
        render(
            request,
            "meetings/feedback/form.html",
            {
                "session": session,
                "form": form,
                "statements": [form[name] for name in FeedbackResponse.STATEMENTS],
                "action": action,
                "walk_in": "code" in form.fields,
                "error": error,
            },
            status=status,
        )
    )


def _refused(request, refused):
    return _private(
        render(
            request,
            "meetings/feedback/unavailable.html",
            {"message": refused.message, "not_found": refused.code == "unknown"},
            status=STATUS.get(refused.code, GONE),
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request, token):
    """Answer through the one-time link sent after the session."""
    try:
        invitation = feedback_service.invitation_for(token)
    except FeedbackRefused as refused:
        return _refused(request, refused)
    session = invitation.session
    if request.method == "GET":
        return _render_form(request, session, FeedbackForm(), action=request.path)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _render_form(request, session, form, action=request.path, status=400)
    try:
        feedback_service.submit(token, **_answers(form))
    except FeedbackRefused as refused:
        return _refused(request, refused)
    return _see_other(reverse("meetings:feedback_thanks"))


def _render_code(request, form, *, error=None, status=200):
    return _private(
        render(
            request,
            "meetings/feedback/code.html",
            {"form": form, "error": error},
            status=status,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_code(request):
    """People who came without booking enter the code shown in the room, then answer.

    The QR code in the room opens this page with the code filled in: the questions come at once.
    Every look-up of a code counts towards the client's rate limit.
    """
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and not data.get("code"):
        return _render_code(request, CodeForm())
    if is_rate_limited(request, "feedback_code"):
        return _private(
            too_many_requests(request, "feedback_code", "meetings/feedback/rate_limited.html")
        )
    action = reverse("meetings:feedback_code")
    answering = request.method == "POST" and data.get("step") == "answers"
    form = WalkInFeedbackForm(data) if answering else CodeForm(data)
    code_form = form if not answering else CodeForm({"code": data.get("code", "")})
    if not code_form.is_valid():
        return _render_code(request, code_form, status=400)
    code = code_form.cleaned_data["code"]
    try:
        session = feedback_service.session_for_code(code)
    except FeedbackRefused as refused:
        return _render_code(
            request, code_form, error=refused.message, status=STATUS.get(refused.code, GONE)
        )
    if not answering:
        return _render_form(
            request, session, WalkInFeedbackForm(initial={"code": code}), action=action
        )
    if not form.is_valid():
        return _render_form(request, session, form, action=action, status=400)
    try:
        feedback_service.submit_with_code(session, code, **_answers(form))
    except FeedbackRefused as refused:
        return _render_code(
            request, code_form, error=refused.message, status=STATUS.get(refused.code, GONE)
        )
    return _see_other(reverse("meetings:feedback_thanks"))


@never_cache
@require_GET
def thanks(request):
    """Thank you, and where to turn if the session brought something up."""
    return _private(render(request, "meetings/feedback/thanks.html"))
