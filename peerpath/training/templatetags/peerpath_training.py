"""Template tags for the training pages."""

from django import template
from wagtail.models import Page

from peerpath.layout import page_url

register = template.Library()


@register.simple_tag(takes_context=True)
def training_page_url(context, page):
    """The URL Wagtail's `pageurl` tag gives `page`, without its site query on every request:
    the request's site comes from the cached layout (see `peerpath.layout.page_url`)."""
    if not isinstance(page, Page):
        raise ValueError(f"training_page_url expected a Page object, got {page!r}")
    request = context.get("request")
    return page.url if request is None else page_url(request, page)
