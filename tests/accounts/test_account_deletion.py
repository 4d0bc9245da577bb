"""Deleting an account anywhere (Wagtail's Users admin, its bulk delete, `User.delete()`) erases
the person's data first, exactly as "Delete my account" does."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from wagtail import hooks
from wagtail.log_actions import log

from peerpath.accounts.models import AccountLogEntry, Profile
from peerpath.accounts.privacy import erase_account
from tests.certificates.factories import CertificateFactory
from tests.factories import UserFactory

User = get_user_model()

NAME = "Quillon Vantablack"
EMAIL = "quillon.vantablack@example.org"


@pytest.fixture(autouse=True)
def site(home_page):
    return home_page


@pytest.fixture
def learner(db):
    return UserFactory(email=EMAIL, username=EMAIL, first_name="Quillon", last_name="Vantablack")


@pytest.fixture
def certificate(learner):
    certificate = CertificateFactory(holder=learner, holder_name=NAME)
    certificate.pdf.save("certificate.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return certificate


def verify_page(client, certificate):
    return client.get(reverse("certificates:verify", args=[certificate.verification_code]))


def test_deleting_a_user_in_the_wagtail_admin_erases_their_certificate(
    client, staff_user, learner, certificate, django_capture_on_commit_callbacks
):
    pdf_name = certificate.pdf.name
    assert "Valid" in verify_page(client, certificate).content.decode()
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailusers_users:delete", args=[learner.pk]))

    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    client.logout()
    html = verify_page(client, certificate).content.decode()
    assert "No longer held" in html
    assert NAME not in html and ">Valid<" not in html
    assert not default_storage.exists(pdf_name)


def test_the_admin_deletion_leaves_no_e_mail_address_in_the_audit_trail(
    client, staff_user, learner
):
    log(instance=learner, action="wagtail.edit", user=staff_user)
    client.force_login(staff_user)
    client.post(reverse("wagtailusers_users:delete", args=[learner.pk]))

    labels = list(AccountLogEntry.objects.values_list("action", "label"))
    assert {action for action, _ in labels} >= {"wagtail.edit", "wagtail.delete"}
    assert not any(EMAIL in label for _, label in labels)


def test_bulk_delete_in_the_wagtail_admin_erases_every_account(
    client, staff_user, learner, certificate, django_capture_on_commit_callbacks
):
    other = UserFactory()
    other_certificate = CertificateFactory(holder=other)
    client.force_login(staff_user)
    url = reverse("wagtail_bulk_action", args=["auth", "user", "delete"])
    url += f"?id={learner.pk}&id={other.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    for erased in (certificate, other_certificate):
        erased.refresh_from_db()
        assert erased.holder_id is None and erased.relinquished_at is not None
        assert erased.holder_name != NAME and not erased.pdf


def test_user_delete_erases_once_and_an_account_already_erased_is_not_erased_again(learner):
    already_erased = erase_account(UserFactory())
    erased = []
    with hooks.register_temporarily(
        "peerpath_erase_personal_data", lambda user, by: erased.append(user.pk)
    ):
        pk = learner.pk
        learner.delete()
        already_erased.delete()
    assert erased == [pk]
    assert not Profile.objects.filter(user_id=pk).exists()
