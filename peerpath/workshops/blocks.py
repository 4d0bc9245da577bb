"""Blocks for workshop pages: the timed session plan."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class SessionItemBlock(blocks.StructBlock):
    """One timed step of a session: what participants do, and what only facilitators read."""

    minutes = blocks.IntegerBlock(
        min_value=1, max_value=480, help_text=_("How long this step takes, in minutes.")
    )
    title = blocks.CharBlock(max_length=120)
    participant_activity = blocks.TextBlock(
        label=_("What participants do"), max_length=2000, help_text=_("Shown to everyone.")
    )
    facilitator_notes = blocks.TextBlock(
        required=False,
        max_length=4000,
        help_text=_(
            "Warning signs, prompts and 'if this happens, do that'. Shown only to certified "
            "facilitators and to the organisation's editors."
        ),
    )

    class Meta:
        icon = "time"
        label = _("Session step")
        description = _("A timed step of the session plan")
        preview_value = {
            "minutes": 10,
            "title": "Check-in round",
            "participant_activity": "Each person says their name and one word for their week.",
            "facilitator_notes": "Model a short answer first; anyone may pass.",
        }


class SessionPlanBlock(blocks.StreamBlock):
    """The ordered steps of a session."""

    step = SessionItemBlock()

    class Meta:
        block_counts = {"step": {"max_num": 40}}
