"""A programme's chosen certificate template is the one its certificates are issued with."""

from peerpath.certificates.issuing import issue_for_completion
from peerpath.certificates.models import CertificateTemplate
from tests.certificates.factories import make_programme
from tests.factories import UserFactory


def test_certificates_use_the_programmes_template_or_the_default(home_page):
    chosen = CertificateTemplate.objects.create(
        name="Advanced", heading="Certificate of Advanced Practice"
    )
    with_template = make_programme(home_page, code="ADV", certificate_template=chosen)
    without = make_programme(home_page, code="PSGF")

    certificate, _ = issue_for_completion(UserFactory(), with_template)
    default, _ = issue_for_completion(UserFactory(), without)

    assert certificate.design["heading"] == "Certificate of Advanced Practice"
    assert default.design["template_id"] == CertificateTemplate.default().pk


def test_deleting_a_template_leaves_programmes_on_the_default(home_page):
    chosen = CertificateTemplate.objects.create(name="Old design", heading="Old")
    programme = make_programme(home_page, code="OLD", certificate_template=chosen)
    chosen.delete()
    programme.refresh_from_db()
    assert programme.certificate_template is None
    certificate, _ = issue_for_completion(UserFactory(), programme)
    assert certificate.design["template_id"] == CertificateTemplate.default().pk
