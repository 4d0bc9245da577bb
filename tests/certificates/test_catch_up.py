"""A failure while issuing or rendering after a completion never shows the learner an error page,
and `issue_owed_certificates` issues and renders what is missing, idempotently (issue 14,
item 8)."""

import io
import logging
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from peerpath.certificates import issuing, render, tasks
from peerpath.certificates import snapshot as certificate_snapshot
from peerpath.certificates.models import Certificate
from peerpath.training.models import Enrolment
from tests.concurrency import run_together
from tests.training.factories import (
    EnrolmentFactory,
    build_index,
    build_module,
    build_programme,
)

COMMAND = "issue_owed_certificates"


@pytest.fixture
def training(home_page):
    programme = build_programme(build_index(home_page))
    return programme, build_module(programme, title="Listening well")


def complete(client, user, training):
    """The learner enrols, marks the module complete and agrees to the code of conduct: the
    last step completes the programme. Returns the response to that step."""
    programme, module = training
    client.force_login(user)
    client.post(reverse("training:enrol", args=[programme.pk]))
    client.post(reverse("training:complete_module", args=[module.pk]))
    version = programme.code_of_conduct_versions.get()
    return client.post(reverse("training:agree", args=[programme.pk]), {"version": version.pk})


def completed(enrolment):
    """Mark an enrolment completed now, as the progress tracker records it."""
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())


def run_command():
    out = io.StringIO()
    call_command(COMMAND, stdout=out)
    return out.getvalue()


def snapshot():
    return list(Certificate.objects.order_by("pk").values())


def refuse(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_queue_refusing_the_render_gives_the_learner_a_normal_response(
    client, user, training, monkeypatch, caplog
):
    monkeypatch.setattr(tasks, "render_certificate_pdf", SimpleNamespace(enqueue=refuse))
    with caplog.at_level(logging.ERROR):
        response = complete(client, user, training)
    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 200
    certificate = Certificate.objects.get(holder=user)
    assert not certificate.pdf
    assert f"Could not queue the PDF of certificate {certificate.pk}" in caplog.text

    monkeypatch.undo()
    assert f"Rendered: {certificate.number}" in run_command()
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name)
    before = snapshot()
    assert "Issued 0 certificate(s); rendered 0 PDF(s)." in run_command()
    assert snapshot() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_issuing_error_after_completion_gives_the_learner_a_normal_response(
    client, user, training, monkeypatch, caplog
):
    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(certificate_snapshot, "next_number", database_gone)
    with caplog.at_level(logging.ERROR):
        response = complete(client, user, training)
    assert response.status_code == 303
    assert not Certificate.objects.exists()
    assert f"on_programme_completed failed for user {user.pk}" in caplog.text
    assert user.email not in caplog.text

    monkeypatch.undo()
    output = run_command()
    certificate = Certificate.objects.get(holder=user)
    assert f"Issued: {certificate.number}" in output
    assert certificate.pdf
    before = snapshot()
    assert "Issued 0 certificate(s); rendered 0 PDF(s)." in run_command()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_renderer_failure_is_rendered_by_the_next_run(
    user, programme, issue, monkeypatch, capsys
):
    def renderer_down(certificate):
        raise OSError("WeasyPrint could not start")

    monkeypatch.setattr(render, "render_pdf", renderer_down)
    certificate = issue(user, programme)
    assert not certificate.pdf
    with pytest.raises(CommandError, match="1 failed"):
        run_command()
    monkeypatch.undo()
    run_command()
    certificate.refresh_from_db()
    assert certificate.pdf
    before = snapshot()
    run_command()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_completion_after_a_revocation_is_owed_nothing(user, programme, issue):
    revoked = issue(user, programme)
    issuing.revoke(revoked, None, "Misconduct")
    completed(EnrolmentFactory(user=user, programme=programme))
    before = snapshot()
    assert "Issued 0 certificate(s); rendered 0 PDF(s)." in run_command()
    assert snapshot() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_issue_and_store_one_of_each(user, programme):
    completed(EnrolmentFactory(user=user, programme=programme))
    storage = Certificate._meta.get_field("pdf").storage
    folder = f"certificates/{timezone.localdate().year}"
    files_before = set(storage.listdir(folder)[1]) if storage.exists(folder) else set()
    outcomes = run_together(run_command, run_command)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    certificate = Certificate.objects.get(holder=user)
    assert certificate.pdf
    new_files = set(storage.listdir(folder)[1]) - files_before
    assert {f"{folder}/{name}" for name in new_files} == {certificate.pdf.name}
