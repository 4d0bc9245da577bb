from django import template
from django.template.loader import render_to_string
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from peerpath.access import has_admin_grants
from peerpath.layout import layout_fragment, main_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """Live pages directly below the site root that editors chose to show in menus (cached)."""
    request = context.get("request")
    return main_menu(request) if request is not None else []


@register.simple_tag(takes_context=True)
def userbar(context, position="bottom-right"):
    """Wagtail's user bar, without its permission queries for people who cannot use the admin."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not has_admin_grants(user):
        return ""
    return wagtailuserbar(context, position)


@register.simple_tag(takes_context=True)
def cached_include(context, template_name, per_visitor=False):
    """Include a part of the shared layout, rendered once per layout version (see
    `peerpath.layout.layout_fragment`)."""
    request = context.get("request")
    if request is None:
        return render_to_string(template_name, context.flatten())
    return layout_fragment(request, template_name, context, per_visitor=per_visitor)
