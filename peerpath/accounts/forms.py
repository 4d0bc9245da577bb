from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.net import client_address

from . import registration, throttle
from .models import Profile

User = get_user_model()


def normalise_email(value):
    return (value or "").strip().lower()


class SignUpForm(forms.Form):
    """New learner: name for certificates, e-mail (also the login) and a password."""

    certificate_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        help_text=_("As it should appear on your certificates. You can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password and not all numbers."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that PeerPath may store my training data as the privacy notice describes"),
        help_text=_(
            "Only you can read your reflections. You can download or delete your data later."
        ),
        error_messages={"required": _("You need to agree to this to create an account.")},
    )

    def __init__(self, *args, notice_version=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice_version = notice_version

    def clean_certificate_name(self):
        name = " ".join(self.cleaned_data["certificate_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_email(self):
        # Whether the address already has an account is never a form error: see
        # peerpath.accounts.registration.sign_up.
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1 and cleaned.get("email"):
            candidate = User(username=cleaned["email"], email=cleaned["email"])
            candidate.first_name = cleaned.get("certificate_name", "")
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self):
        """Sign up (or tell the address's owner); deliberately returns nothing to branch on."""
        registration.sign_up(
            certificate_name=self.cleaned_data["certificate_name"],
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password1"],
            notice_version=self.notice_version,
        )


class LoginForm(auth_forms.AuthenticationForm):
    """Log in with the e-mail address used at sign-up (staff may also use a username)."""

    username = forms.CharField(
        label=_("E-mail address"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts to log in. For your security, please wait 15 minutes "
            "or reset your password."
        ),
    }

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        return normalise_email(value) if "@" in value else value

    @property
    def throttled(self):
        return any(error.code == "throttled" for error in self.non_field_errors().as_data())

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else ""
        if throttle.is_locked(username, address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                throttle.record_failure(username, address)
            raise
        throttle.reset(username)
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Asks for a link to choose a new password. The page that follows is the same whether an
    account uses the address, and whether the request was throttled."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, request=None, **kwargs):
        """Send the link in the background (Django's form would send it here, in the request,
        with the token in hand); the other arguments of Django's form are not used."""
        email = normalise_email(self.cleaned_data["email"])
        registration.send_password_reset(email, client_address(request), self.get_users(email))


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The new password, from a reset link; choosing it lifts the log-in lock on the account."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        registration.password_reset_completed(user)
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["certificate_name", "show_initials_only"]

    def clean_certificate_name(self):
        name = " ".join(self.cleaned_data["certificate_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name


class ConfirmPasswordForm(forms.Form):
    """Re-entering the password before something that cannot be undone."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        return check_current_password(self.user, self.cleaned_data["password"])

    @property
    def throttled(self):
        return self.has_error("password", code="throttled")


def check_current_password(user, password):
    """The password of a signed-in person, re-entered before something that matters.

    Wrong answers count against the same per-account limit as logging in, so a borrowed or stolen
    session cannot be used to guess the password either.
    """
    username = user.get_username()
    if throttle.is_locked(username):
        raise forms.ValidationError(
            _("Too many wrong passwords. For your security, please wait 15 minutes."),
            code="throttled",
        )
    if not user.check_password(password):
        throttle.record_failure(username)
        raise forms.ValidationError(_("That is not your password."), code="wrong_password")
    throttle.reset(username)
    return password


class ChangeEmailForm(ConfirmPasswordForm):
    """A new e-mail address (also the login), confirmed with the current password."""

    email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to it; certificates are issued to it once you confirm it."),
    )
    field_order = ["email", "password"]

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if email == normalise_email(self.user.email):
            raise forms.ValidationError(_("That is already the address on your account."))
        taken = User.objects.exclude(pk=self.user.pk).filter(
            models.Q(email__iexact=email) | models.Q(username__iexact=email)
        )
        if taken.exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email

    def save(self):
        """Change the address (and the login, when it was the old address)."""
        old = normalise_email(self.user.email)
        self.user.email = self.cleaned_data["email"]
        fields = ["email"]
        if normalise_email(self.user.get_username()) == old:
            self.user.username = self.cleaned_data["email"]
            fields.append("username")
        self.user.save(update_fields=fields)
        return self.user


class EraseAccountForm(forms.Form):
    """Staff erasing a learner's personal data on request: why, in words kept in the audit trail."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: “Learner asked by e-mail on 20 November”. Kept in the audit trail with "
            "your name and the time; do not include the learner's name or e-mail address."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        error_messages={"required": _("Tick the box to confirm that this cannot be undone.")},
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Give the reason for erasing this account."))
        return reason
