import pytest
from django.contrib.auth import authenticate

from certificates import demo
from certificates.models import Certificate, CertificateStatus
from home.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_issues_valid_revoked_and_expired_examples(programme):
    valid, revoked, expired = demo.load()
    statuses = {
        c.holder.username: c.status
        for c in Certificate.objects.with_status().select_related("holder")
    }
    assert statuses == {
        "facilitator@peerpath.example": CertificateStatus.VALID,
        "revoked.example@peerpath.example": CertificateStatus.REVOKED,
        "expired.example@peerpath.example": CertificateStatus.EXPIRED,
    }
    assert valid.holder_name == "Jamie Okafor"
    assert authenticate(username="facilitator@peerpath.example", password=DEMO_PASSWORD)


def test_demo_is_idempotent(programme):
    first = [c.pk for c in demo.load()]
    second = [c.pk for c in demo.load()]
    assert first == second
    assert Certificate.objects.count() == 3


def test_demo_without_the_programme_is_skipped(home_page, capsys):
    import io

    out = io.StringIO()
    assert demo.load(out) == []
    assert "no PSGF programme" in out.getvalue()
    assert not Certificate.objects.exists()
