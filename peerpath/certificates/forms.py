from django import forms
from django.utils.translation import gettext_lazy as _

from .codes import MAX_INPUT_LENGTH, normalise_code


class VerifyForm(forms.Form):
    """The public "check a certificate" form."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=MAX_INPUT_LENGTH,
        help_text=_(
            "16 letters and numbers, printed on the certificate, e.g. 7KQ2-M9XD-4TRA-VB3H."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "That is not a verification code. Codes have 16 letters and numbers; "
                    "dashes and spaces are optional."
                )
            )
        return code
