from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """Live pages directly below the site root that editors chose to show in menus."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu().specific(defer=True))
