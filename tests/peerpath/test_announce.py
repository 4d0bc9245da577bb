"""A subscriber's failure never undoes or hides what was announced (peerpath.signals.announce)."""

import logging

from django.dispatch import Signal

from peerpath.signals import announce


def test_a_failing_receiver_is_logged_and_the_others_still_run(caplog):
    signal = Signal()
    heard = []

    def broken(sender, **kwargs):
        raise RuntimeError("the PDF renderer is down")

    def working(sender, **kwargs):
        heard.append(kwargs["user_id"])

    signal.connect(broken, weak=False)
    signal.connect(working, weak=False)
    with caplog.at_level(logging.ERROR, logger="peerpath.signals"):
        announce(signal, sender=object, user_id=42)

    assert heard == [42]
    (record,) = [r for r in caplog.records if r.name == "peerpath.signals"]
    assert "broken failed" in record.getMessage()
    assert "42" not in record.getMessage()  # the arguments (people) stay out of the log
