import io

import pytest
from django.test import override_settings

from peerpath import sms


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@override_settings(PEERPATH_SMS_BACKEND="peerpath.sms.LocmemBackend")
def test_send_sms_uses_the_configured_backend():
    sent = sms.send_sms("+447700900123", "See you on Tuesday.")

    assert sent == 1
    assert [(message.to, message.body) for message in sms.outbox] == [
        ("+447700900123", "See you on Tuesday.")
    ]


def test_console_backend_writes_the_message_to_its_stream():
    stream = io.StringIO()

    backend = sms.ConsoleBackend(stream=stream)
    backend.send_messages([sms.SMSMessage("+447700900123", "See you on Tuesday.")])

    assert "To: +447700900123\nSee you on Tuesday." in stream.getvalue()


def test_console_backend_writes_to_standard_output_by_default(capsys):
    sms.send_sms("+447700900123", "See you on Tuesday.", backend="peerpath.sms.ConsoleBackend")

    assert "See you on Tuesday." in capsys.readouterr().out


def test_base_backend_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        sms.BaseSMSBackend().send_messages([sms.SMSMessage("+447700900123", "Hi")])


@override_settings(PEERPATH_SMS_BACKEND="tests.meetings.test_sms.FailingBackend")
def test_a_provider_backend_is_plugged_in_by_its_dotted_path():
    with pytest.raises(ConnectionError):
        sms.send_sms("+447700900123", "Hi")


@override_settings(PEERPATH_SMS_BACKEND="tests.meetings.test_sms.FailingBackend")
def test_fail_silently_reaches_the_backend():
    assert sms.send_sms("+447700900123", "Hi", fail_silently=True) == 0


def test_message_representation_hides_the_number():
    assert "7700" not in repr(sms.SMSMessage("+447700900123", "Hi"))


class FailingBackend(sms.BaseSMSBackend):
    """A provider whose service is down."""

    def send_messages(self, messages):
        if self.fail_silently:
            return 0
        raise ConnectionError("provider unavailable")
