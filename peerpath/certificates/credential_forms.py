"""The "check a credential" form, shared by the public page and the admin screen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .credential_check import check_credential

#: An uploaded file larger than this is refused (a credential is a few KB, a badge image less
#: than 1 MB).
MAX_UPLOAD_BYTES = 1024 * 1024


class CredentialCheckForm(forms.Form):
    """A credential pasted or uploaded (one of the two), and optionally the e-mail address of
    the person it should belong to. Nothing given here is stored."""

    credential = forms.CharField(
        label=_("Paste the credential"),
        required=False,
        strip=True,
        help_text=_("The signed credential: the text of its .jwt file, which starts with “ey”."),
        widget=forms.Textarea(
            attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off", "autocapitalize": "off"}
        ),
    )
    upload = forms.FileField(
        label=_("Or upload it"),
        required=False,
        help_text=_("The credential's .jwt or .json file, or its badge image (.png); up to 1 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jwt,.json,.png,application/vc+jwt,application/json,image/png"}
        ),
    )
    holder_email = forms.EmailField(
        label=_("Holder's e-mail address (optional)"),
        required=False,
        help_text=_(
            "To check that the credential was issued to this address. It is compared with the "
            "credential's hashed address, and not kept."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This file is larger than 1 MB; a credential or its badge image is smaller.")
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        pasted, upload = cleaned.get("credential"), cleaned.get("upload")
        if pasted and upload:
            raise forms.ValidationError(_("Paste a credential or upload one, not both."))
        if not pasted and not upload and not self.errors:
            raise forms.ValidationError(_("Paste a credential or upload its file."))
        return cleaned

    def credential_data(self):
        """What was given: the pasted text, or the uploaded file's bytes."""
        upload = self.cleaned_data.get("upload")
        if upload:
            upload.seek(0)
            return upload.read(MAX_UPLOAD_BYTES + 1)
        return self.cleaned_data["credential"]

    def check(self, *, allow_network=True):
        """Check what was given (`credential_check.check_credential`)."""
        return check_credential(
            self.credential_data(),
            holder_email=self.cleaned_data.get("holder_email") or None,
            allow_network=allow_network,
        )
