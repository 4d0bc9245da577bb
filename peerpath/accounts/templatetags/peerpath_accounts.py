from django import template

from peerpath.accounts.verification import needs_confirmation

register = template.Library()


@register.filter
def needs_email_confirmation(user):
    """`{% if user|needs_email_confirmation %}`: signed in, and their address is unconfirmed."""
    return needs_confirmation(user)
