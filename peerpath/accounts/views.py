from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerpath.models import PrivacyNotice

from . import privacy as privacy_service
from . import verification
from .forms import (
    ChangeEmailForm,
    ConfirmPasswordForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
    SignUpForm,
)
from .models import Profile, certificate_name_for


def _safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    notice = PrivacyNotice.for_request(request)
    form = SignUpForm(request.POST or None, notice_version=notice.version)
    if request.method == "POST" and form.is_valid():
        form.save()
        # The same answer whether the address was new or already had an account (its owner
        # hears by e-mail), so nobody learns from this page who is registered.
        messages.success(
            request,
            _(
                "Thank you for signing up. We have sent an e-mail to the address you gave: open "
                "the link in it to confirm your address, so we can issue your certificates to "
                "it. Log in below with that address and your password."
            ),
        )
        next_url = _safe_next(request, "")
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return redirect(reverse("accounts:login") + query)
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request, "")})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """'Download my data': a page that explains the export; POST sends the ZIP."""
    if request.method == "POST":
        archive = privacy_service.export_zip(request.user)
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="peerpath-my-data.zip"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/my_data.html")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """'Delete my account': shows what is erased and what is kept, then asks for the password."""
    form = ConfirmPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy_service.erase_account(request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted and your personal data erased."))
        return redirect("/")
    response = render(request, "accounts/delete_account.html", {"form": form})
    if form.throttled:
        response.status_code = 429
    return response


def privacy(request):
    return render(request, "accounts/privacy.html", {"notice": PrivacyNotice.for_request(request)})


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    instance = Profile.objects.filter(user=request.user).first() or Profile(
        user=request.user, certificate_name=certificate_name_for(request.user)
    )
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Saved. Certificates issued from now on will show this name."),
        )
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", _profile_context(request, form))


def _profile_context(request, form):
    return {
        "form": form,
        "email_confirmed_at": verification.confirmed_at(request.user),
    }


@login_required
@require_http_methods(["POST"])
def send_confirmation(request):
    """ "Send the link again": a new confirmation link, at most once a minute and a few a day."""
    if verification.confirmed_at(request.user):
        messages.info(request, _("Your e-mail address is already confirmed."))
        return redirect("accounts:profile")
    if not verification.send_link(request.user):
        messages.error(
            request,
            _(
                "We sent you a link very recently. Please check your inbox and spam folder, "
                "and wait a few minutes before asking for another."
            ),
        )
        instance = Profile.objects.filter(user=request.user).first()
        form = ProfileForm(instance=instance)
        response = render(request, "accounts/profile.html", _profile_context(request, form))
        response.status_code = 429
        return response
    messages.success(
        request,
        _("We have sent a new link to %(email)s. It may take a few minutes to arrive.")
        % {"email": request.user.email},
    )
    return redirect("accounts:profile")


@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    """The link from the e-mail: GET asks, POST confirms (so link scanners confirm nothing)."""
    try:
        user, email = verification.check_link(token)
    except verification.LinkProblem as problem:
        return render(
            request,
            "accounts/confirm_email.html",
            {"problem": problem.message},
            status=problem.status,
        )
    already = verification.confirmed_at(user) is not None
    if request.method == "POST" and not already:
        verification.mark_confirmed(user, email)
        messages.success(
            request,
            _(
                "Thank you: %(email)s is confirmed. If you have completed a programme, your "
                "certificate is now in My training."
            )
            % {"email": email},
        )
        return redirect("accounts:profile")
    return render(request, "accounts/confirm_email.html", {"email": email, "already": already})


@login_required
@require_http_methods(["GET", "POST"])
def change_email(request):
    """A new e-mail address: it becomes the login at once and needs confirming before
    certificates can be issued to it."""
    form = ChangeEmailForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if verification.send_link(user):
            messages.success(
                request,
                _(
                    "Your e-mail address is now %(email)s. We have sent a link to it: open it "
                    "to confirm the address."
                )
                % {"email": user.email},
            )
        else:
            messages.warning(
                request,
                _(
                    "Your e-mail address is now %(email)s. Several links were sent recently, so "
                    "please use “Send the link again” on this page in a few minutes."
                )
                % {"email": user.email},
            )
        return redirect("accounts:profile")
    response = render(request, "accounts/change_email.html", {"form": form})
    if form.throttled:
        response.status_code = 429
    return response


password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="accounts/password_reset_form.html",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=SetPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
