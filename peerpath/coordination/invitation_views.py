"""The invitee's pages: `/join/<token>/` opens an invitation and accepts it. Thin: every rule is
`invitations.py`'s.

Signed in, they join with one button. Not signed in, with an account at the invited address, they
log in first and come back here. Without one, a short sign-up form for the invited address (not
editable: the link proved it is theirs, so it counts as confirmed). A link the site never made is a
404; an expired, replaced, withdrawn or used one a 410 saying what to do. Answers (POSTs) are rate
limited per client; the pages are never cached, and the token never leaves in a Referer.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from peerpath.accounts.registration import account_using
from peerpath.models import PrivacyNotice
from peerpath.ratelimit import is_rate_limited, too_many_requests

from . import invitations
from .invitation_forms import JoinSignUpForm
from .invitations import InvitationError, InvitationRefused

TEMPLATES = "coordination/invitations/"
# The address holds the token: other sites must not learn it from a Referer.
REFERRER_POLICY = "strict-origin"


def private(response):
    response["Referrer-Policy"] = REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def refused(request, refusal):
    status = 404 if refusal.code == "unknown" else 410
    template = "not_found.html" if refusal.code == "unknown" else "refused.html"
    context = {"refusal": refusal, "message": refusal.message}
    return private(render(request, TEMPLATES + template, context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    try:
        invitation = invitations.invitation_for_token(token)
    except InvitationRefused as refusal:
        return refused(request, refusal)
    if request.method == "POST" and is_rate_limited(request, "invitation"):
        return private(too_many_requests(request, "invitation", TEMPLATES + "rate_limited.html"))
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if request.user.is_authenticated:
        if request.method == "POST":
            return join(request, invitation, request.user)
        return private(render(request, TEMPLATES + "accept.html", context))
    if account_using(invitation.email) is not None:
        login_url = reverse("accounts:login") + "?" + urlencode({"next": request.path})
        return private(
            render(request, TEMPLATES + "log_in.html", {**context, "login_url": login_url})
        )
    notice = PrivacyNotice.for_request(request)
    form = JoinSignUpForm(
        request.POST if request.method == "POST" else None,
        invitation=invitation,
        notice_version=notice.version,
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept_with_new_account(
                invitation,
                certificate_name=form.cleaned_data["certificate_name"],
                password=form.cleaned_data["password1"],
                notice_version=notice.version,
            )
        except InvitationRefused as refusal:
            return refused(request, refusal)
        except InvitationError as error:
            form.add_error(None, error.message)
        else:
            login(request, user)
            return joined(request, invitation)
    status = 400 if form.errors else 200
    return private(
        render(request, TEMPLATES + "sign_up.html", {**context, "form": form}, status=status)
    )


def join(request, invitation, user):
    try:
        invitations.accept(invitation, user)
    except InvitationRefused as refusal:
        return refused(request, refusal)
    return joined(request, invitation)


def joined(request, invitation):
    messages.success(
        request,
        _("Welcome to %(organisation)s: you have joined the organisation.")
        % {"organisation": invitation.organisation.name},
    )
    programme = invitations.first_programme(invitation)
    return redirect(programme.url if programme else reverse("training:my_training"))
