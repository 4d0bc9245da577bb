from wagtail.fields import RichTextField
from wagtail.models import Page


class BarePage(Page):
    """A plain Wagtail page with a rich-text body: what Wagtail itself costs to serve."""

    body = RichTextField(blank=True)
