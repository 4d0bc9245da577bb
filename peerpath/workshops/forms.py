"""The facilitation log's form (the listings' filter form is in `listing.py`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import can_see_facilitator_material
from .models import MAX_GROUP_SIZE, MAX_SESSION_MINUTES, FacilitationLogEntry


class FacilitationLogEntryForm(forms.ModelForm):
    """One session a facilitator ran, for a workshop they are allowed to facilitate: a
    self-reported entry (sessions run through PeerPath come in from their debrief)."""

    # The model's fields allow 0 at the database type level; a session needs at least 1.
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=MAX_SESSION_MINUTES)
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=1,
        max_value=MAX_GROUP_SIZE,
        help_text=FacilitationLogEntry._meta.get_field("participants").help_text,
    )

    class Meta:
        model = FacilitationLogEntry
        fields = ["workshop", "date", "role", "minutes", "participants", "co_facilitator", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        labels = {"role": _("Your role")}
        help_texts = {
            "role": _(
                "Whether you led the session or co-facilitated it alongside a lead facilitator. "
                "Some certification requirements count only one of them."
            ),
            "co_facilitator": _("Optional: who you facilitated with."),
        }

    def __init__(self, *args, facilitator, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.facilitator = facilitator
        self.fields["workshop"].queryset = workshops
        self.fields["workshop"].required = True
        # Look choices up by `id`, not `pk` (the page's parent link): Django then refuses ids
        # beyond the database's integer range as an invalid choice instead of failing with a 500.
        self.fields["workshop"].to_field_name = "id"
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_workshop(self):
        workshop = self.cleaned_data["workshop"]
        if not can_see_facilitator_material(self.instance.facilitator, workshop):
            raise forms.ValidationError(
                _("You can log sessions only for workshops your certificate covers.")
            )
        return workshop

    def clean(self):
        cleaned = super().clean()
        workshop = cleaned.get("workshop")
        participants = cleaned.get("participants")
        if workshop and participants and participants > workshop.group_size_max * 2:
            self.add_error(
                "participants",
                _("That is more than twice this workshop's largest group (%(size)s).")
                % {"size": workshop.group_size_max},
            )
        return cleaned
