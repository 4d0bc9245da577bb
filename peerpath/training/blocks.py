"""Blocks for module bodies and knowledge checks."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock

from peerpath.blocks import CalloutBlock


class VideoBlock(blocks.StructBlock):
    """An embedded video with a transcript for people who cannot or prefer not to watch."""

    video = EmbedBlock(help_text=_("A link to the video (e.g. YouTube or Vimeo)."))
    caption = blocks.CharBlock(max_length=200, required=False)
    transcript = blocks.TextBlock(required=False)

    class Meta:
        icon = "media"
        template = "training/blocks/video.html"
        description = _("An embedded video with an optional transcript")


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(max_length=120, required=False, help_text=_("Defaults to the title"))

    class Meta:
        icon = "doc-full"
        template = "training/blocks/document_link.html"
        description = _("A link to a document learners can download")


class ReflectionPromptBlock(blocks.StructBlock):
    """A question the learner answers privately; only they can ever read the answer."""

    prompt = blocks.TextBlock(max_length=600)
    guidance = blocks.CharBlock(max_length=300, required=False)

    class Meta:
        icon = "openquote"
        template = "training/blocks/reflection_prompt.html"
        description = _("A private reflection question; answers are visible only to the learner")
        preview_value = {
            "prompt": "Think of a time someone really listened to you. What did they do?"
        }


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, default="Key points")
    points = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "training/blocks/key_points.html"
        description = _("A short summary list of what to remember")


class ModuleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        icon="pilcrow",
    )
    video = VideoBlock()
    document = DocumentLinkBlock()
    reflection = ReflectionPromptBlock()
    key_points = KeyPointsBlock()
    callout = CalloutBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    is_correct = blocks.BooleanBlock(required=False, label=_("Correct answer"))

    class Meta:
        icon = "tick"


class QuestionBlock(blocks.StructBlock):
    """A knowledge-check question. Its block id and its choices' ids identify answers."""

    prompt = blocks.TextBlock(max_length=600)
    kind = blocks.ChoiceBlock(
        choices=[
            ("single", _("Single choice (one correct answer)")),
            ("multiple", _("Multiple choice (select all that apply)")),
        ],
        default="single",
    )
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        max_length=1000, help_text=_("Shown after the learner submits, whether right or wrong.")
    )

    class Meta:
        icon = "help"

    def clean(self, value):
        cleaned = super().clean(value)
        correct = sum(1 for choice in cleaned["choices"] if choice["is_correct"])
        if correct == 0:
            raise blocks.StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one correct answer."))}
            )
        if cleaned["kind"] == "single" and correct != 1:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("A single-choice question has one correct answer.")
                    )
                }
            )
        return cleaned
