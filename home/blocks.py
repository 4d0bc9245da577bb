"""Content blocks shared by PeerPath pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from peerpath.blocks import CalloutBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the document outline correct."""

    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading.html"
        description = _("A heading that starts a new section")
        preview_value = {"text": "What peer support is", "level": "h2"}


class FeatureBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(max_length=400)
    link = blocks.PageChooserBlock(required=False)

    class Meta:
        icon = "doc-full"


class FeatureListBlock(blocks.StructBlock):
    """Short cards that point readers to the main parts of the site."""

    items = blocks.ListBlock(FeatureBlock(), min_num=1, max_num=6)

    class Meta:
        icon = "list-ul"
        template = "home/blocks/feature_list.html"
        description = _("Two to six short cards with optional links")


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul"], icon="pilcrow"
    )
    callout = CalloutBlock()
    features = FeatureListBlock()
