"""The debrief form: what the lead facilitator tells after a session, and nothing that identifies
anyone. What may be filed, and by whom, is `debriefs.py`'s."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.form_fields import ModelMultipleChoiceField
from peerpath.workshops.models import MAX_GROUP_SIZE

from .choices import HowItWent
from .models import Debrief, SafeguardingConcern
from .signposting import categories_for


class DebriefForm(forms.Form):
    """How many came, how it went, signposting (or none needed), the fidelity checklist and
    whether there is a safeguarding concern (with what happened, when there is)."""

    YES, NO = "yes", "no"

    attendance = forms.IntegerField(
        label=_("How many people came"),
        help_text=_("Everyone who took part, walk-ins included; not the facilitators."),
        min_value=0,
        max_value=MAX_GROUP_SIZE,
    )
    how_it_went = forms.ChoiceField(
        label=_("How did it go?"), choices=HowItWent.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        help_text=Debrief._meta.get_field("notes").help_text,
        max_length=Debrief._meta.get_field("notes").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    signposting = ModelMultipleChoiceField(
        label=_("Signposting given"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose signposting from the list."),
            "invalid_pk_value": _("Choose signposting from the list."),
        },
    )
    no_signposting = forms.BooleanField(label=_("No signposting was needed"), required=False)
    fidelity = forms.MultipleChoiceField(
        label=_("Did the session follow the plan?"),
        help_text=_("Tick what was done."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "The checklist changed while you were filling it in: tick it again."
            )
        },
    )
    concern = forms.ChoiceField(
        label=_("Do you have a safeguarding concern?"),
        choices=[(NO, _("No")), (YES, _("Yes"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you have a safeguarding concern.")},
    )
    concern_summary = forms.CharField(
        label=_("What happened, and what you did"),
        help_text=SafeguardingConcern._meta.get_field("summary").help_text,
        max_length=SafeguardingConcern._meta.get_field("summary").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, session, recorded_attendance, **kwargs):
        kwargs.setdefault("initial", {"attendance": recorded_attendance})
        super().__init__(*args, **kwargs)
        self.fields["signposting"].queryset = categories_for(session.organisation)
        checks = session.workshop.fidelity_checks
        self.fields["fidelity"].choices = [(check, check) for check in checks]

    def clean(self):
        cleaned = super().clean()
        given, none_needed = cleaned.get("signposting"), cleaned.get("no_signposting")
        if "signposting" in cleaned:
            if given and none_needed:
                self.add_error(
                    "no_signposting",
                    _("You ticked signposting and “No signposting was needed”: choose one."),
                )
            elif not given and not none_needed:
                self.add_error(
                    "signposting",
                    _("Tick the signposting you gave, or “No signposting was needed”."),
                )
        if cleaned.get("concern") == self.YES and not cleaned.get("concern_summary", "").strip():
            self.add_error(
                "concern_summary",
                _(
                    "Say briefly what happened, without names, so that the safeguarding lead can act."
                ),
            )
        return cleaned

    def concern_to_raise(self):
        """The concern to raise, or None when there is none."""
        if self.cleaned_data["concern"] != self.YES:
            return None
        return self.cleaned_data["concern_summary"].strip()
