"""Announcing what happened to the apps that subscribe, so a subscriber's failure never undoes it.

Completion, full certification and a confirmed e-mail address are facts once their transaction
commits; what other apps do about them (issuing a certificate, rendering a PDF) may fail, be
retried later (`issue_owed_certificates`) and must never turn the learner's answer into an error
page. `announce` is the one way PeerPath sends such a signal.
"""

import logging

logger = logging.getLogger("peerpath.signals")


def announce(signal, sender, **kwargs):
    """Send `signal` to every receiver, logging any receiver's failure (its name and the error,
    never the arguments, which carry people) instead of raising it; the others still run."""
    for receiver, result in signal.send_robust(sender=sender, **kwargs):
        if isinstance(result, Exception):
            logger.error(
                "%s.%s failed on a signal from %s",
                getattr(receiver, "__module__", "?"),
                getattr(receiver, "__qualname__", repr(receiver)),
                getattr(sender, "__name__", sender),
                exc_info=result,
            )
