import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from peerpath.certificates.access import holds_valid_certificate, valid_programme_ids
from peerpath.certificates.models import CertificateStatus

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_valid_certificate_grants_access_by_page_or_id(user, programme):
    CertificateFactory(holder=user, programme=programme)
    assert holds_valid_certificate(user, programme)
    assert holds_valid_certificate(user, programme.pk)
    assert valid_programme_ids(user) == {programme.pk}


def test_no_certificate_no_access(user, other_user, programme):
    CertificateFactory(holder=other_user, programme=programme)
    assert not holds_valid_certificate(user, programme)
    assert not holds_valid_certificate(AnonymousUser(), programme)
    assert valid_programme_ids(AnonymousUser()) == set()


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked_at": timezone.now(), "revocation_reason": "Breach of the code of conduct"},
        {"relinquished_at": timezone.now()},
        {"expires_on": datetime.date(2020, 1, 1)},
    ],
    ids=["revoked", "relinquished", "expired"],
)
def test_invalid_certificates_grant_nothing(user, programme, fields):
    CertificateFactory(holder=user, programme=programme, **fields)
    assert not holds_valid_certificate(user, programme)
    assert valid_programme_ids(user) == set()


def test_superseded_certificate_grants_nothing_but_its_successor_does(user, programme):
    old = CertificateFactory(holder=user, programme=programme)
    assert holds_valid_certificate(user, programme)
    new = CertificateFactory(holder=user, programme=programme, cycle=2, supersedes=old)
    old.refresh_status()
    assert old.status == CertificateStatus.SUPERSEDED
    assert new.status == CertificateStatus.VALID
    assert holds_valid_certificate(user, programme)
    new.revoked_at = timezone.now()
    new.revocation_reason = "Issued in error"
    new.save()
    assert not holds_valid_certificate(user, programme)


def test_access_check_is_one_query(user, programme, django_assert_num_queries):
    CertificateFactory(holder=user, programme=programme)
    with django_assert_num_queries(1):
        holds_valid_certificate(user, programme)
    with django_assert_num_queries(1):
        valid_programme_ids(user)
