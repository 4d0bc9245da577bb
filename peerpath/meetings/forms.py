"""The booking forms: the least personal data that works.

Someone without an account gives a first name (or a nickname) and one way to reach them: an
e-mail address or a mobile number. A signed-in participant gives nothing but, if they like, their
access needs: their account already says who they are and where to write.
"""

import phonenumbers
from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .models import Booking

PHONE_REGION = "GB"
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalise_mobile(value, region=PHONE_REGION):
    """`value` as an E.164 mobile number (e.g. +447400123456); ValidationError if it is not one.

    Numbers without a country code are read as UK numbers.
    """
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _("Enter a mobile number, such as 07400 123456 or +44 7400 123456."),
            code="invalid_phone",
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise forms.ValidationError(
            _("That looks like a landline number. Give a mobile number, which can get texts."),
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class AccessNeedsField(forms.CharField):
    """Optional access needs, seen only by the session's facilitators."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Anything you would like the facilitators to know? (optional)"),
            help_text=_(
                "For example step-free access, a hearing loop, or needing to sit near the door. "
                "Only the facilitators of this session see this, and it is deleted with your "
                "booking."
            ),
            max_length=Booking._meta.get_field("access_needs").max_length,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            **kwargs,
        )


class BookingForm(forms.Form):
    """Book a place without an account: a first name and an e-mail address or mobile number."""

    first_name = forms.CharField(
        label=_("First name or nickname"),
        help_text=_("What the facilitators and the group will call you."),
        max_length=Booking._meta.get_field("first_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=Booking._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Or a mobile number"),
        help_text=_("Give an e-mail address or a mobile number: one is enough."),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    access_needs = AccessNeedsField()

    def clean_first_name(self):
        first_name = self.cleaned_data["first_name"].strip()
        if not first_name:
            raise forms.ValidationError(_("Enter a first name or a nickname."), code="required")
        return first_name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email:
            validate_email(email)
        return email.lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_mobile(phone) if phone else ""

    def clean(self):
        cleaned = super().clean()
        if "email" in cleaned and "phone" in cleaned and not (cleaned["email"] or cleaned["phone"]):
            raise forms.ValidationError(
                _("Give an e-mail address or a mobile number, so that we can confirm your place."),
                code="contact",
            )
        return cleaned


class AccountBookingForm(forms.Form):
    """Book in one click when signed in: the account is who booked; access needs are optional."""

    access_needs = AccessNeedsField()
