import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from certificates import issuing
from certificates.models import Certificate, ExpiryReminder
from certificates.reminders import due_threshold, send_due_reminders

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 10)


def expiring_in(days, **fields):
    return CertificateFactory(expires_on=TODAY + datetime.timedelta(days=days), **fields)


@pytest.mark.parametrize(
    ("days_left", "sent", "due"),
    [
        (90, set(), None),
        (60, set(), 60),
        (45, {60}, None),
        (30, {60}, 30),
        (20, set(), 30),  # a missed run sends the nearest reminder only
        (7, {60, 30}, 7),
        (3, {60, 30, 7}, None),
        (5, {7}, None),
    ],
)
def test_due_threshold(days_left, sent, due):
    assert due_threshold(days_left, sent) == due


@pytest.mark.parametrize("days", [60, 30, 7])
def test_reminder_sent_on_each_threshold_once(days, home_page):
    certificate = expiring_in(days)
    assert len(send_due_reminders(TODAY)) == 1
    assert send_due_reminders(TODAY) == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [certificate.holder.email]
    assert f"expires in {days} days" in message.subject
    assert certificate.number in message.body
    assert certificate.get_absolute_url() in message.body
    assert ExpiryReminder.objects.get().days_before == days


def test_a_year_of_hourly_runs_sends_three_reminders(home_page):
    expiring_in(61)
    for day in range(70):
        send_due_reminders(TODAY + datetime.timedelta(days=day))
        send_due_reminders(TODAY + datetime.timedelta(days=day))
    assert [m.subject.split(" in ")[1] for m in mail.outbox] == ["60 days", "30 days", "7 days"]


def test_no_reminders_for_invalid_or_unreachable_certificates(home_page, staff_user):
    expiring_in(30, revoked_at=timezone.now(), revocation_reason="x")
    expiring_in(30, relinquished_at=timezone.now())
    expiring_in(30, holder=None)
    expiring_in(-1)
    CertificateFactory(expires_on=None)
    renewed = expiring_in(30)
    CertificateFactory(holder=renewed.holder, cycle=2, supersedes=renewed)
    assert send_due_reminders(TODAY) == []
    assert mail.outbox == []


def test_failed_send_is_retried_next_run(home_page, monkeypatch):
    from certificates import reminders

    expiring_in(30)

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(ConnectionError):
        send_due_reminders(TODAY)
    assert not ExpiryReminder.objects.exists()
    monkeypatch.undo()
    assert len(send_due_reminders(TODAY)) == 1


def test_command_is_idempotent(home_page):
    certificate = expiring_in(7)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    call_command("send_certificate_reminders", "--dry-run")
    assert mail.outbox == []
    call_command("send_certificate_reminders")
    call_command("send_certificate_reminders")
    assert len(mail.outbox) == 1


def test_renewal_stops_further_reminders(home_page, user, programme, issue, staff_user):
    certificate = issue(user, programme, timezone.now() - datetime.timedelta(days=700))
    today = certificate.expires_on - datetime.timedelta(days=30)
    assert len(send_due_reminders(today)) == 1
    issuing.renew(certificate, by=staff_user)
    assert send_due_reminders(certificate.expires_on - datetime.timedelta(days=7)) == []
