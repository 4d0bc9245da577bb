import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from peerpath.certificates import issuing, reminders
from peerpath.certificates.models import Certificate, ExpiryReminder
from peerpath.certificates.reminders import due_threshold, send_due_reminders

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


def test_failed_send_is_logged_without_the_address_and_retried_next_run(
    home_page, monkeypatch, caplog
):

    certificate = expiring_in(30)

    def broken(*args, **kwargs):
        raise ConnectionError(f"SMTP refused {certificate.holder.email}")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with caplog.at_level(logging.ERROR, logger="peerpath.certificates.reminders"):
        assert send_due_reminders(TODAY) == []
    assert not ExpiryReminder.objects.exists()
    assert str(certificate.pk) in caplog.text
    assert certificate.holder.email not in caplog.text
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


def test_one_bad_address_does_not_stop_the_other_reminders(home_page, monkeypatch, caplog):

    bad, good = expiring_in(30), expiring_in(31)
    send_mail = reminders.send_mail

    def refuses_the_bad_address(subject, body, sender, recipients, **kwargs):
        if recipients == [bad.holder.email]:
            raise ValueError(f"Invalid address {bad.holder.email}")
        return send_mail(subject, body, sender, recipients, **kwargs)

    monkeypatch.setattr(reminders, "send_mail", refuses_the_bad_address)
    reminded = send_due_reminders(TODAY)
    assert [certificate.pk for certificate, _days in reminded] == [good.pk]
    assert [message.to for message in mail.outbox] == [[good.holder.email]]
    assert list(ExpiryReminder.objects.values_list("certificate_id", flat=True)) == [good.pk]
    assert bad.holder.email not in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reminder_is_recorded_and_committed_before_the_mail_server_is_contacted(
    home_page, monkeypatch
):

    certificate = expiring_in(30)
    seen = []

    def send_mail(*args, **kwargs):
        recorded = ExpiryReminder.objects.filter(certificate=certificate).exists()
        seen.append((connection.in_atomic_block, recorded))

    monkeypatch.setattr(reminders, "send_mail", send_mail)
    assert len(send_due_reminders(TODAY)) == 1
    assert seen == [(False, True)]
