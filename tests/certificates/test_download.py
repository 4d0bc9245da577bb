import pytest
from django.urls import reverse

from peerpath.certificates.models import Certificate
from peerpath.organisations.models import OrganisationMembership
from tests.workshops.factories import OrganisationFactory

from .test_admin_reports import org_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def pdf_url(certificate):
    return reverse("certificates:pdf", args=[certificate.display_code])


def test_holder_downloads_the_stored_file_with_a_good_name(client, user, certificate):
    client.force_login(user)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"{certificate.number}-" in disposition and disposition.endswith('.pdf"')
    body = b"".join(response.streaming_content)
    with certificate.pdf.open("rb") as handle:
        assert body == handle.read()
    assert response["Cache-Control"] == "private, no-store"


def test_lower_case_undashed_code_works_too(client, user, certificate):
    client.force_login(user)
    url = f"/certificates/{certificate.verification_code.lower()}/pdf/"
    assert client.get(url).status_code == 200


def test_staff_can_download(client, staff_user, certificate):
    client.force_login(staff_user)
    assert client.get(pdf_url(certificate)).status_code == 200


def test_someone_elses_pdf_is_forbidden(client, other_user, certificate):
    client.force_login(other_user)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 403
    assert certificate.holder_name.encode() not in response.content


def test_anonymous_visitors_are_sent_to_log_in(client, certificate):
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_download_never_re_renders(client, user, certificate, monkeypatch):
    from peerpath.certificates import render

    monkeypatch.setattr(render, "render_pdf", lambda c: pytest.fail("re-rendered"))
    client.force_login(user)
    assert client.get(pdf_url(certificate)).status_code == 200


def test_missing_file_in_storage_is_a_clear_404(client, user, certificate):
    certificate.pdf.storage.delete(certificate.pdf.name)
    client.force_login(user)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 404
    assert b"Certificate file not available" in response.content


def test_pdf_not_rendered_yet_is_rendered_on_demand(client, user, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_sha256="")
    client.force_login(user)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert Certificate.objects.get(pk=certificate.pk).pdf_sha256


def test_pdf_still_rendering_says_so(client, user, certificate, monkeypatch):
    from peerpath.certificates import views

    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_sha256="")
    # A queue with no worker running: the task is enqueued but nothing renders it yet.
    monkeypatch.setattr(views, "enqueue_render", lambda pk: None)
    client.force_login(user)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 503
    assert b"being prepared" in response.content


@pytest.mark.parametrize("code", ["AAAA-AAAA-AAAA-AAAA", "garbage", "x" * 3000])
def test_unknown_or_malformed_codes_are_404(client, user, code):
    client.force_login(user)
    assert client.get(f"/certificates/{code}/pdf/").status_code == 404


@pytest.fixture
def riverside_and_northside_pdfs(user, other_user, programme, issue):
    """A Riverside learner's certificate and a Northside learner's, both with stored PDFs."""
    riverside = OrganisationFactory(name="Riverside Peer Support", slug="riverside")
    northside = OrganisationFactory(name="Northside Collective", slug="northside")
    OrganisationMembership.objects.create(user=user, organisation=riverside)
    OrganisationMembership.objects.create(user=other_user, organisation=northside)
    return riverside, issue(user, programme), issue(other_user, programme)


def test_organisation_staff_download_only_their_learners_pdfs(client, riverside_and_northside_pdfs):
    riverside, ours, theirs = riverside_and_northside_pdfs
    staff = org_staff(riverside)
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(pdf_url(ours)).status_code == 200
    response = client.get(pdf_url(theirs))
    assert response.status_code == 404
    assert theirs.holder_name.encode() not in response.content
