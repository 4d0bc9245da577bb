"""Blocks every PeerPath app may use in its StreamFields."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    """A highlighted box for something readers must not miss."""

    tone = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("important", _("Important")), ("tip", _("Tip"))],
        default="info",
    )
    title = blocks.CharBlock(max_length=120, required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "peerpath/blocks/callout.html"
        description = _("A highlighted box for information readers must not miss")
        preview_value = {
            "tone": "important",
            "title": "If someone is in danger now",
            "text": "<p>Call the emergency services.</p>",
        }
