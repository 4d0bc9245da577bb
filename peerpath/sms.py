"""Text messages, sent through a pluggable backend the way Django sends e-mail.

`send_sms(to, body)` hands one message to the backend named by the `PEERPATH_SMS_BACKEND`
setting (a dotted path). PeerPath ships two: `ConsoleBackend`, the default, which writes each
message to standard output (for development, like Django's console e-mail backend), and
`LocmemBackend`, which keeps them in `peerpath.sms.outbox` for tests. An organisation that sends
real text messages writes a subclass of `BaseSMSBackend` for its provider and names it in the
setting; nothing else changes.
"""

import sys
import threading

from django.utils.module_loading import import_string

from .conf import setting

# Messages the locmem backend has "sent", oldest first (tests empty it between runs).
outbox = []


class SMSMessage:
    """One text message: a mobile number in international (E.164) form and a short body."""

    def __init__(self, to, body):
        self.to = to
        self.body = body

    def __repr__(self):
        # The number is personal data: never in a representation that may reach a log.
        return f"<SMSMessage of {len(self.body)} characters>"


class BaseSMSBackend:
    """What every text message backend provides.

    Subclasses implement `send_messages(messages)`: send each `SMSMessage` (its `to` and `body`)
    and return how many were sent. When `fail_silently` is false a failure raises; when true, the
    backend swallows it and counts the message as not sent. A provider's client, keys and sender
    id come from the keyword arguments given to the backend or from the site's settings.
    """

    def __init__(self, fail_silently=False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages):
        """Send `messages` (a list of `SMSMessage`); return the number sent."""
        raise NotImplementedError("An SMS backend must implement send_messages(messages).")


class ConsoleBackend(BaseSMSBackend):
    """Writes each message to a stream (standard output unless given `stream=`)."""

    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self.lock = threading.RLock()

    def send_messages(self, messages):
        sent = 0
        with self.lock:
            for message in messages:
                self.stream.write(f"To: {message.to}\n{message.body}\n{'-' * 40}\n")
                sent += 1
            self.stream.flush()
        return sent


class LocmemBackend(BaseSMSBackend):
    """Keeps messages in the module's `outbox` list instead of sending them (for tests)."""

    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


def get_backend(backend=None, fail_silently=False, **kwargs):
    """An instance of `backend` (a dotted path), or of the configured `PEERPATH_SMS_BACKEND`."""
    return import_string(backend or setting("SMS_BACKEND"))(fail_silently=fail_silently, **kwargs)


def send_sms(to, body, fail_silently=False, backend=None):
    """Send one text message to `to`; returns 1 when it was sent, 0 when not."""
    return get_backend(backend, fail_silently=fail_silently).send_messages([SMSMessage(to, body)])
