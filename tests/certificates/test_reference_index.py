import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex

from peerpath.certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_issuing_adds_nothing_to_wagtails_reference_index(user, programme, issue):
    """Certificates are records, not content: they do not appear as usages of their programme,
    and issuing one queues no reference-index job."""
    certificate = issue(user, programme)
    assert certificate is not None
    certificates = ContentType.objects.get_for_model(Certificate)
    assert not ReferenceIndex.objects.filter(content_type=certificates).exists()
    assert not ReferenceIndex.model_is_indexable(Certificate)
