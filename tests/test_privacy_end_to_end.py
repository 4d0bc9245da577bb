"""Taking your data and leaving, across every app: the export holds everything, erasure leaves
no trace of the person's name or e-mail anywhere in the database."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse
from wagtail.log_actions import log

from peerpath.accounts.privacy import erase_account
from peerpath.certificates.issuing import issue_for_completion
from peerpath.certificates.models import Certificate, CertificateStatus
from peerpath.meetings import booking
from peerpath.meetings.models import Booking
from peerpath.training import progress
from peerpath.training.models import (
    CheckAttempt,
    Enrolment,
    ModulePage,
    ModuleProgress,
    Reflection,
)
from peerpath.workshops.models import FacilitationLogEntry
from tests.certificates.factories import make_programme
from tests.factories import UserFactory
from tests.meetings.factories import make_session, put_on_roster
from tests.organisations.factories import OrganisationFactory
from tests.workshops.factories import make_workshop

NAME = "Quillon Vantablack"
EMAIL = "quillon.vantablack@example.org"


@pytest.fixture
def learner(home_page, django_capture_on_commit_callbacks):
    user = UserFactory(email=EMAIL, username=EMAIL, first_name="Quillon", last_name="Vantablack")
    programme = make_programme(home_page)
    module = ModulePage(title="Listening", slug="listening", summary="How to listen.")
    programme.add_child(instance=module)
    progress.enrol(user, programme)
    ModuleProgress.objects.create(
        user=user,
        module=module,
        enrolment=Enrolment.objects.get(user=user),
        best_score=75,
    )
    Reflection.objects.create(
        user=user, module=module, prompt_id="p1", text=f"I am {NAME} and I once felt very low."
    )
    CheckAttempt.objects.create(
        user=user, module=module, number=1, answers={"q": ["a"]}, score=75, passed=False
    )
    FacilitationLogEntry.objects.create(
        facilitator=user,
        workshop_title="Weekly group",
        date="2026-11-01",
        minutes=90,
        participants=6,
        co_facilitator="Dana Whitlock",
        notes=f"Notes by {NAME}",
    )
    with django_capture_on_commit_callbacks(execute=True):  # renders and stores the PDF
        certificate, _ = issue_for_completion(user, programme)
    certificate.refresh_from_db()
    assert certificate.pdf
    # Sessions: a place booked with the account, one booked before signing up (by address),
    # each with access needs; and a place on a roster.
    organisation = OrganisationFactory()
    workshop = make_workshop(organisation.index_page, programme=programme)
    first, second = make_session(workshop), make_session(workshop, days_ahead=14)
    with django_capture_on_commit_callbacks(execute=True):
        booking.book(first, user=user, access_needs=f"{NAME} uses a wheelchair")
        booking.book(second, first_name="Quillon", email=EMAIL, access_needs="Vantablack: quiet")
    put_on_roster(first, UserFactory())
    put_on_roster(first, user, role="co")
    return user, certificate


def text_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                yield model, field


def rows_mentioning(needle):
    found = []
    for model, field in text_columns():
        lookup = f"{field.name}__icontains"
        if model.objects.filter(**{lookup: needle}).exists():
            found.append(f"{model._meta.label}.{field.name}")
    return found


def test_export_zip_holds_every_apps_data_and_the_certificate_pdf(client, learner):
    user, certificate = learner
    client.force_login(user)
    response = client.post(reverse("accounts:my_data"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == EMAIL
    assert data["enrolments"][0]["programme"]
    assert data["module_progress"][0]["best_score"] == 75
    assert data["check_attempts"][0]["answers"] == {"q": ["a"]}
    assert NAME in data["reflections"][0]["text"]
    assert data["facilitation_log"][0]["notes"] == f"Notes by {NAME}"
    assert data["certificates"][0]["number"] == certificate.number
    assert len(data["session_bookings"]) == 2
    assert NAME in json.dumps(data["session_bookings"])
    assert data["session_roster"]
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 1 and archive.read(pdfs[0]).startswith(b"%PDF")


def test_erased_learner_leaves_no_name_or_email_anywhere(
    learner, django_capture_on_commit_callbacks
):
    user, certificate = learner
    assert rows_mentioning("Vantablack"), "the search must find the name before erasure"
    enrolments_before = Enrolment.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user)
    assert rows_mentioning("Vantablack") == []
    assert rows_mentioning(EMAIL) == []
    assert rows_mentioning("Dana Whitlock") == []
    # Aggregates stay right: the anonymous enrolment, progress and session still count.
    assert Enrolment.objects.count() == enrolments_before
    assert ModuleProgress.objects.get().best_score == 75
    assert FacilitationLogEntry.objects.get().minutes == 90
    assert Booking.objects.filter(anonymised_at__isnull=False).count() == 2
    assert not Reflection.objects.exists() and not CheckAttempt.objects.exists()
    certificate = Certificate.objects.with_status().get(pk=certificate.pk)
    assert certificate.status == CertificateStatus.RELINQUISHED
    assert not certificate.pdf


def test_verification_page_of_an_erased_holder_shows_no_longer_held_without_a_name(client, learner):
    user, certificate = learner
    erase_account(user)
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "No longer held" in html
    assert "Vantablack" not in html and "Quillon" not in html


def every_column_mentioning(needle):
    """Raw SQL over every column of every table (not only the models' text fields): the tables
    of many-to-many links, search indexes and anything else the ORM search above could miss."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                    f"WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def test_after_erasure_by_staff_no_column_of_any_table_holds_the_name_or_email(
    client, learner, staff_user, django_capture_on_commit_callbacks
):
    user, _certificate = learner
    log(instance=user, action="wagtail.edit", user=staff_user)  # staff once edited the account
    needles = ["Vantablack", "Quillon", EMAIL, "Dana Whitlock"]
    assert all(every_column_mentioning(needle) for needle in needles), "the search must work"
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts_erase", args=[user.pk]),
            {"reason": "Asked by letter", "confirm": "on"},
        )
    assert response.status_code == 302
    for needle in needles:
        assert every_column_mentioning(needle) == [], needle
