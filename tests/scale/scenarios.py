"""Scenarios the scale tests run in child processes against a real file database and Redis.

    python -m tests.scale.scenarios <name>

Each prints one JSON line of results. They run outside pytest's database so that several
connections (threads, processes, a queue worker) can share one database, as in production.
"""

import json
import os
import sys
import threading

import django


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_programme(modules):
    from wagtail.models import Page

    from peerpath.training.models import ModulePage, ProgrammePage, TrainingIndexPage

    root = Page.get_first_root_node()
    index = TrainingIndexPage(title="Training", slug=f"training-{os.getpid()}")
    root.add_child(instance=index)
    programme = ProgrammePage(
        title="Scale programme",
        slug="scale",
        credential_name="Scale Facilitator",
        credential_code="SCALE",
        summary="For the scale tests.",
        code_of_conduct="<p>Be kind.</p>",
        validity_months=24,
    )
    index.add_child(instance=programme)
    result = []
    for n in range(modules):
        module = ModulePage(title=f"Module {n}", slug=f"m{n}", summary="A module.")
        programme.add_child(instance=module)
        result.append(module)
    return ProgrammePage.objects.get(pk=programme.pk), result


def concurrent_progress(learners=8, modules=6):
    """Many learners complete modules at once: every write must succeed and be recorded."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from peerpath.training import progress
    from peerpath.training.models import ModuleProgress

    programme, module_pages = make_programme(modules)
    User = get_user_model()
    users = [
        User.objects.create(username=f"scale{n}@example.org", email=f"scale{n}@example.org")
        for n in range(learners)
    ]
    for user in users:
        progress.enrol(user, programme)
    connection.close()
    errors, successes = [], []
    barrier = threading.Barrier(learners)

    def learner(user):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            for module in module_pages:
                try:
                    progress.record_module_started(user, module)
                    progress.mark_module_complete(user, module)
                    successes.append((user.pk, module.pk))
                except Exception as error:  # noqa: BLE001 - counted and reported, not hidden
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=learner, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorded = ModuleProgress.objects.filter(completed_at__isnull=False).count()
    return {
        "errors": errors[:5],
        "error_count": len(errors),
        "successes": len(successes),
        "recorded": recorded,
        "vendor": connection.vendor,
    }


def enqueue_certificate():
    """Issue a certificate whose PDF goes to the real queue; the worker has not run yet."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from peerpath.accounts.verification import mark_confirmed
    from peerpath.certificates.issuing import issue_for_completion

    programme, _ = make_programme(1)
    user = get_user_model().objects.create(
        username="queued@example.org", email="queued@example.org", first_name="Queued"
    )
    mark_confirmed(user)  # certificates are only issued to a confirmed address
    with transaction.atomic():
        certificate, created = issue_for_completion(user, programme)
    certificate.refresh_from_db()
    return {
        "backend": settings.TASKS["default"]["BACKEND"],
        "certificate_id": certificate.pk,
        "created": created,
        "has_pdf": bool(certificate.pdf),
    }


def certificate_state(certificate_id):
    from peerpath.certificates.models import Certificate

    certificate = Certificate.objects.get(pk=int(certificate_id))
    return {"has_pdf": bool(certificate.pdf), "sha256": certificate.pdf_sha256}


SCENARIOS = {
    "concurrent_progress": concurrent_progress,
    "enqueue_certificate": enqueue_certificate,
    "certificate_state": certificate_state,
}


def reference_index_on_commit(outcome):
    """Save a certificate template, for which Wagtail enqueues its reference-index job from
    `post_save`, while a live queue worker polls. `outcome` "commit" or "rollback": inside a
    transaction, kept open until a sentinel job, enqueued from another connection after ours, has
    gone through the worker; "autocommit": outside any transaction."""
    import time

    import django_rq
    from django.db import connection, transaction
    from django_tasks import task_backends
    from django_tasks.exceptions import TaskResultDoesNotExist
    from rq.job import Job
    from wagtail.models import Locale
    from wagtail.tasks import update_reference_index_task

    from peerpath.certificates.models import CertificateTemplate

    backend = task_backends["default"]
    redis = django_rq.get_connection("default")
    handed_out = []  # every TaskResult the backend returns, as its caller gets it
    enqueue = backend.enqueue

    def recording_enqueue(task, args, kwargs):
        handed_out.append(enqueue(task, args, kwargs))
        return handed_out[-1]

    backend.enqueue = recording_enqueue

    def status(result_id):
        try:
            return backend.get_result(result_id).status.name
        except TaskResultDoesNotExist:
            return "not found"

    def finished(result_id, timeout=60):
        deadline = time.monotonic() + timeout
        while status(result_id) not in {"SUCCESSFUL", "FAILED"} and time.monotonic() < deadline:
            time.sleep(0.05)
        return status(result_id)

    def sentinel():
        """Enqueue a read-only job from a connection that is in no transaction and wait until the
        worker has run it: the worker has then polled the queue after everything enqueued before."""
        seen = {}

        def run():
            from django.db import connection as thread_connection

            try:
                result = update_reference_index_task.enqueue(
                    "wagtailcore", "locale", str(Locale.objects.first().pk)
                )
                seen["in_redis_at_once"] = Job.exists(result.id, connection=redis)
                seen["status"] = finished(result.id)
            finally:
                thread_connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return seen

    def template_jobs():
        return [
            result
            for result in handed_out
            if result.task.func is update_reference_index_task.func
            and list(result.args[:2]) == ["peerpath_certificates", "certificatetemplate"]
        ]

    def in_redis(jobs):
        return [Job.exists(result.id, connection=redis) for result in jobs]

    class RollBack(Exception):
        pass

    report = {"vendor": connection.vendor}
    if outcome == "autocommit":
        template = CertificateTemplate.objects.create(name="Outside a transaction")
        jobs = template_jobs()
        report["in_redis_at_once"] = in_redis(jobs)
    else:
        try:
            with transaction.atomic():
                template = CertificateTemplate.objects.create(name=f"Inside, then {outcome}")
                jobs = template_jobs()
                report["enqueued_at_before_end"] = [bool(result.enqueued_at) for result in jobs]
                report["sentinel"] = sentinel()
                report["in_redis_before_end"] = in_redis(jobs)
                report["status_before_end"] = [status(result.id) for result in jobs]
                if outcome == "rollback":
                    raise RollBack
        except RollBack:
            pass
        if outcome == "rollback":
            report["sentinel_after_end"] = sentinel()
        report["in_redis_after_end"] = in_redis(jobs)
    report["template_id"] = str(template.pk)
    report["args"] = [list(result.args) for result in jobs]
    report["enqueued_at_set"] = [result.enqueued_at is not None for result in jobs]
    report["final_status"] = [
        finished(result.id) if outcome != "rollback" else status(result.id) for result in jobs
    ]
    report["failed_jobs"] = len(django_rq.get_queue("default").failed_job_registry)
    return report


SCENARIOS["reference_index_on_commit"] = reference_index_on_commit

if __name__ == "__main__":
    setup()
    name, *args = sys.argv[1:]
    print(json.dumps(SCENARIOS[name](*args)))
