"""The forms of awards on recognition of prior learning: one award, the upload and its editable
preview, and the list's search.

Every rule is `certificates.awards`' (and, for a list's cells, `award_rows`'): these forms only
collect and show. The organisations offered are those the user may award for
(`awards.organisations_awardable_by`), so another organisation is not even a choice.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peerpath.certificates import awards
from peerpath.form_fields import ModelChoiceField
from peerpath.organisations.models import Organisation
from peerpath.training.models import ProgrammePage

from . import award_rows
from .uploads import MAX_ROWS

DATE_INPUTS = list(award_rows.DATE_FORMATS)


def awardable_organisations(user):
    """The organisations to offer `user`, by name."""
    organisations = awards.organisations_awardable_by(user)
    if organisations is None:
        return Organisation.objects.order_by("name")
    return organisations.order_by("name")


class OrganisationChoiceMixin:
    """An `organisation` field offering the user's organisations; superusers may leave it blank
    (an award for no organisation)."""

    def set_organisations(self, user):
        organisations = awardable_organisations(user)
        field = self.fields["organisation"]
        field.queryset = organisations
        field.required = not user.is_superuser
        if user.is_superuser:
            field.empty_label = _("No organisation")
        elif not self.is_bound and organisations.count() == 1:
            field.initial = organisations.first()


class AwardForm(OrganisationChoiceMixin, forms.Form):
    """One award: who, which programme, when they were certified, until when, on what evidence."""

    organisation = ModelChoiceField(label=_("Organisation"), queryset=None)
    email = forms.EmailField(
        label=_("Holder's e-mail address"),
        help_text=_("The address of their PeerPath account; they must be a member already."),
    )
    programme = ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        help_text=_("Only programmes the organisation runs can be awarded."),
    )
    original_issued_on = forms.DateField(
        label=_("Originally certified on"),
        input_formats=DATE_INPUTS,
        help_text=_("The date on their earlier certificate (YYYY-MM-DD or DD/MM/YYYY)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        input_formats=DATE_INPUTS,
        required=False,
        help_text=_(
            "The first day it is no longer valid. Blank only if the programme's "
            "certificates never expire."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    evidence_note = forms.CharField(
        label=_("Evidence"),
        max_length=awards.EVIDENCE_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What shows they met the standard, e.g. the course, who ran it and when. Kept with "
            "the certificate; never shown on the public verification page."
        ),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("Optional: a scan of their earlier certificate. PDF, JPG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.set_organisations(user)
        organisations = awards.organisations_awardable_by(user)
        programmes = ProgrammePage.objects.live().order_by("title")
        if organisations is not None:
            programmes = programmes.filter(organisations__in=organisations).distinct()
        self.fields["programme"].queryset = programmes

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            try:
                awards.evidence_kind(upload)
            except awards.AwardError as error:
                raise ValidationError(str(error)) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        organisation = cleaned.get("organisation")
        holder = award_rows.holder_for(organisation, cleaned["email"])
        if holder is None:
            self.add_error(
                "email",
                _("No member of %(organisation)s has this e-mail address.")
                % {"organisation": organisation.name}
                if organisation
                else _("No account has this e-mail address."),
            )
            return cleaned
        cleaned["holder"] = holder
        for problem in awards.check_award(
            holder,
            cleaned["programme"],
            organisation=organisation,
            original_issued_on=cleaned["original_issued_on"],
            expires_on=cleaned.get("expires_on"),
            evidence_note=cleaned["evidence_note"],
            by=self.user,
        ):
            self.add_error(None, problem)
        return cleaned


class UploadForm(OrganisationChoiceMixin, forms.Form):
    organisation = ModelChoiceField(label=_("Organisation"), queryset=None)
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV (UTF-8) or XLSX, with a header row naming the columns email, programme, "
            "issued_on, expires_on and evidence. A programme is its credential code or title; "
            "dates are YYYY-MM-DD or DD/MM/YYYY."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_organisations(user)


class OrganisationForm(OrganisationChoiceMixin, forms.Form):
    """The organisation a preview is for, carried in a hidden field and checked again."""

    organisation = ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_organisations(user)


class AwardRowForm(forms.Form):
    """One row of the preview, editable; `problems` is filled in by the formset."""

    # No length limits here: a cell too long is a row's problem (`award_rows.check_row`), shown
    # beside it, not a preview that cannot be read.
    line = forms.IntegerField(widget=forms.HiddenInput, required=False)
    email = forms.CharField(label=_("E-mail address"), required=False)
    programme = forms.CharField(label=_("Programme"), required=False)
    issued_on = forms.CharField(label=_("Originally certified on"), required=False)
    expires_on = forms.CharField(label=_("Expires on"), required=False)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    skip = forms.BooleanField(label=_("Skip this row"), required=False)

    problems = ()


class BaseAwardRowFormSet(forms.BaseFormSet):
    """The preview: checks every row against the others and the organisation."""

    checked = ()

    def check(self, organisation, user):
        """Check the rows (after `is_valid`) and set each form's `problems`."""
        rows = [form.cleaned_data for form in self.forms]
        self.checked = award_rows.check_rows(organisation, rows, by=user)
        for form, result in zip(self.forms, self.checked, strict=True):
            form.problems = result["problems"]
        return self.checked

    @property
    def ready(self):
        rows = self.checked
        return (
            bool(rows)
            and all(not row["problems"] for row in rows if not row["skip"])
            and any(not row["skip"] for row in rows)
        )

    @property
    def ready_count(self):
        return sum(1 for row in self.checked if not row["skip"])


AwardRowFormSet = forms.formset_factory(
    AwardRowForm,
    formset=BaseAwardRowFormSet,
    extra=0,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


def formset_data(rows):
    """Rows read from a file as the POST data of a preview formset."""
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for number, row in enumerate(rows):
        for key in ["line", *award_rows.COLUMNS]:
            data[f"form-{number}-{key}"] = row.get(key, "")
    return data


class AwardSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, e-mail or certificate number"), required=False, max_length=200
    )
    organisation = ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("All")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = awardable_organisations(user)
