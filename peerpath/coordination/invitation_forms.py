"""The forms of invitations: the invitee's short sign-up, the coordinator's single invitation, the
upload and its editable preview, and the listing's filters.

Every rule is `invitations.py`'s: these forms only collect and show. The preview formset re-checks
all its rows together with `invitations.check_rows` (duplicates within the file need every row),
and puts each row's problems beside it.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.forms import SignUpForm
from peerpath.form_fields import ModelChoiceField, ModelMultipleChoiceField

from . import invitations
from .access import coordinated_organisations
from .models import Cohort, Invitation

#: Most rows one preview holds: the upload's own cap (`uploads.MAX_ROWS`).
MAX_PREVIEW_ROWS = 1000


class JoinSignUpForm(SignUpForm):
    """The accounts app's sign-up form, for the invited address: shown, never edited."""

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].initial = invitation.email
        self.fields["email"].help_text = _("The address this invitation was sent to.")
        if invitation.name and not self.is_bound:
            self.fields["certificate_name"].initial = invitation.name


class InviteForm(forms.Form):
    """One address, for one of the organisations the coordinator coordinates."""

    organisation = ModelChoiceField(label=_("Organisation"), queryset=None)
    email = forms.CharField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(
        label=_("Name"),
        max_length=invitations.NAME_MAX_LENGTH,
        required=False,
        help_text=_("Used to greet them in the e-mail (optional)."),
    )
    cohort = ModelChoiceField(
        label=_("Cohort"),
        queryset=None,
        required=False,
        help_text=_("They join it, and its programmes, when they accept (optional)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = coordinated_organisations(user)
        self.fields["organisation"].queryset = organisations
        self.fields["cohort"].queryset = Cohort.objects.filter(
            organisation__in=organisations, archived_at__isnull=True
        ).select_related("organisation")
        self.fields["cohort"].label_from_instance = lambda cohort: (
            f"{cohort.name} ({cohort.organisation.name})"
        )
        if organisations.count() == 1 and not self.is_bound:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        cleaned = super().clean()
        organisation, cohort = cleaned.get("organisation"), cleaned.get("cohort")
        if organisation and cohort:
            problem = invitations.cohort_problem(organisation, cohort)
            if problem:
                self.add_error("cohort", problem)
        return cleaned


class UploadForm(forms.Form):
    organisation = ModelChoiceField(label=_("Organisation"), queryset=None)
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV (UTF-8) or XLSX, with a header row naming the columns name, email and cohort. "
            "Only email is required; a cohort is named as in the Cohorts list."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = coordinated_organisations(user)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1 and not self.is_bound:
            self.fields["organisation"].initial = organisations.first()


class OrganisationForm(forms.Form):
    """The organisation a preview is for, carried in a hidden field and checked again."""

    organisation = ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = coordinated_organisations(user)


class RowForm(forms.Form):
    """One row of the preview, editable; `problems` is filled in by the formset."""

    line = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), required=False, max_length=1000)
    email = forms.CharField(label=_("E-mail address"), required=False, max_length=1000)
    cohort = forms.CharField(label=_("Cohort"), required=False, max_length=1000)
    skip = forms.BooleanField(label=_("Skip this row"), required=False)

    problems = ()


class BaseRowFormSet(forms.BaseFormSet):
    """The preview: checks every row against the others and the organisation."""

    organisation = None

    def check(self, organisation):
        """Check the rows (after `is_valid`); returns `check_rows`'s result, and sets each form's
        `problems`. False-y `ready` when a row still needs a fix or all are skipped."""
        rows = [form.cleaned_data for form in self.forms]
        checked = invitations.check_rows(organisation, rows)
        for form, result in zip(self.forms, checked, strict=True):
            form.problems = result["problems"]
            if form.problems:
                # Screen readers hear a row's problems with its inputs.
                for name in ("name", "email", "cohort"):
                    attrs = form.fields[name].widget.attrs
                    attrs.update({"aria-describedby": f"{form.prefix}-problems"})
                    attrs["aria-invalid"] = "true"
        self.checked = checked
        return checked

    @property
    def ready(self):
        rows = getattr(self, "checked", [])
        return (
            bool(rows)
            and all(not row["problems"] for row in rows if not row["skip"])
            and any(not row["skip"] for row in rows)
        )

    @property
    def ready_count(self):
        return sum(1 for row in getattr(self, "checked", []) if not row["skip"])


RowFormSet = forms.formset_factory(
    RowForm,
    formset=BaseRowFormSet,
    extra=0,
    max_num=MAX_PREVIEW_ROWS,
    absolute_max=MAX_PREVIEW_ROWS,
    validate_max=True,
)


STATUS_CHOICES = [
    ("", _("Any status")),
    ("pending", _("Pending")),
    ("expired", _("Expired")),
    ("accepted", _("Accepted")),
    ("revoked", _("Withdrawn")),
]


class InvitationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by e-mail or name"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    organisation = ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("All")
    )
    cohort = ModelChoiceField(
        label=_("Cohort"), queryset=None, required=False, empty_label=_("Any")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = coordinated_organisations(user)
        self.fields["organisation"].queryset = organisations
        self.fields["cohort"].queryset = Cohort.objects.filter(organisation__in=organisations)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            term = data["q"].strip()
            queryset = queryset.filter(Q(email__icontains=term) | Q(name__icontains=term))
        if data["status"]:
            queryset = invitations.with_status(queryset, data["status"])
        if data["organisation"]:
            queryset = queryset.filter(organisation=data["organisation"])
        if data["cohort"]:
            queryset = queryset.filter(cohort=data["cohort"])
        return queryset


class SelectionForm(forms.Form):
    """The invitations ticked in the listing, for a bulk re-send or withdrawal."""

    action = forms.ChoiceField(choices=[("resend", _("Re-send")), ("revoke", _("Withdraw"))])
    selected = ModelMultipleChoiceField(queryset=Invitation.objects.none())

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = queryset
