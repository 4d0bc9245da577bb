"""The demo site's home page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyStreamBlock


class HomePage(Page):
    """The site's front page: what peer support is and what this site is for."""

    intro = models.TextField(
        _("introduction"), max_length=500, blank=True, help_text=_("One or two sentences.")
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
