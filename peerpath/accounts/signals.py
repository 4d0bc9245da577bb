"""Signals the accounts app sends. Other apps (certificates) subscribe in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent after the transaction that recorded the confirmation commits, once per address confirmed.
# sender: Profile; kwargs: user, email (the address now confirmed).
email_confirmed = Signal()
