"""The Django side of the queue and load benchmarks, run in child processes of bench/bulk_issue.py
and bench/load_learners.py against the database and Redis their environment names.

    python -m bench.steps <name> [args]

Each step prints one JSON line. The benchmark scripts themselves never import Django: every
process they time is a real one (a queue worker, a gunicorn worker), as in production.
"""

import json
import statistics
import sys
import time
from pathlib import Path

import django

LEARNER_PASSWORD = "bench-learner-password"  # noqa: S105 - throw-away accounts on a throw-away database


def confirm_emails(users):
    """Certificates go only to confirmed addresses: confirm them, as the e-mailed link would."""
    from peerpath.accounts.verification import mark_confirmed

    for user in users:
        mark_confirmed(user)


def seed_bulk(count):
    """`count` learners with confirmed addresses, enrolled in the load-test programme, none
    certified yet."""
    from django.contrib.auth import get_user_model

    from bench.seeding import seed_learners

    summary = seed_learners(int(count), certified_share=0)
    confirm_emails(get_user_model().objects.filter(username__startswith="load-"))
    return {"learners": summary["learners"], "programme_id": summary["programme"].pk}


def issue_all(programme_id, timeout):
    """Issue a certificate to every seeded learner, as `programme_completed` does, each in its own
    transaction so its PDF job is enqueued on commit; then wait until every PDF is stored.

    Returns the seconds from the first issue to the last PDF stored, and rq's own record of every
    job (start and end on the worker) to show where a worker's time goes.
    """
    import django_rq
    from django.contrib.auth import get_user_model
    from django_rq.workers import get_worker_class
    from rq.job import Job

    from peerpath.certificates.issuing import issue_for_completion
    from peerpath.certificates.models import Certificate
    from peerpath.training.models import ProgrammePage

    programme = ProgrammePage.objects.get(pk=int(programme_id))
    learners = list(
        get_user_model().objects.filter(username__startswith="load-").order_by("pk").iterator()
    )
    start, cpu = time.monotonic(), time.process_time()
    ids = []
    for learner in learners:
        certificate, created = issue_for_completion(learner, programme)
        assert created, f"{learner} already held a certificate"
        ids.append(certificate.pk)
    issued, issue_cpu = time.monotonic(), time.process_time() - cpu
    deadline = start + float(timeout)
    waiting = Certificate.objects.filter(pk__in=ids, pdf="")
    while (left := waiting.count()) and time.monotonic() < deadline:
        time.sleep(0.2)
    stored = time.monotonic()

    queue = django_rq.get_queue("default")
    job_ids = queue.finished_job_registry.get_job_ids()
    jobs = [job for job in Job.fetch_many(job_ids, connection=queue.connection) if job]
    kinds, busy = {}, {}
    for job in jobs:
        seconds = (job.ended_at - job.started_at).total_seconds()
        kinds.setdefault(job.func_name, []).append(seconds * 1000)
        busy[job.worker_name] = busy.get(job.worker_name, 0) + seconds
    return {
        "certificates": len(ids),
        "missing_pdfs": left,
        "seconds": stored - start,
        "issue_seconds": issued - start,
        "issue_cpu_seconds": issue_cpu,
        "failed_jobs": queue.failed_job_registry.count,
        "settings_worker_class": get_worker_class().__module__ + "." + get_worker_class().__name__,
        "jobs": {
            name: {"count": len(ms), "median_ms": statistics.median(ms)}
            for name, ms in sorted(kinds.items())
        },
        "busy_seconds": sorted(busy.values()),
    }


def certificate_html(path):
    """The HTML of one certificate the workers rendered, for the bare WeasyPrint baseline."""
    from peerpath.certificates.models import Certificate
    from peerpath.certificates.pdf import render_html

    certificate = Certificate.objects.exclude(pdf="").order_by("pk").first()
    Path(path).write_text(render_html(certificate))
    return {"certificate": certificate.number}


def seed_learners(count):
    """`count` learners who can log in, with confirmed addresses, enrolled in the demo programme; and what they need to
    know about it: its modules in order and, for each question, a right and a wrong answer."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from home.demo_training import PROGRAMME
    from peerpath.training import progress
    from peerpath.training.models import ModulePage, ProgrammePage

    programme = ProgrammePage.objects.get(slug=PROGRAMME["slug"])
    password = make_password(LEARNER_PASSWORD)
    User = get_user_model()
    learners = User.objects.bulk_create(
        User(
            username=f"learner-{n}@load.example",
            email=f"learner-{n}@load.example",
            first_name="Load",
            last_name=f"Learner {n}",
            password=password,
        )
        for n in range(int(count))
    )
    confirm_emails(learners)
    for learner in learners:
        progress.enrol(learner, programme)
    modules = []
    for module in ModulePage.objects.child_of(programme).live().order_by("path"):
        questions = {}
        for block in module.check_questions:
            choices = block.value["choices"].bound_blocks
            right = [item.id for item in choices if item.value["is_correct"]]
            wrong = [item.id for item in choices if not item.value["is_correct"]][:1]
            questions[block.id] = {"right": right, "wrong": wrong}
        modules.append(
            {
                "id": module.pk,
                "url": module.url,
                "questions": questions,
                "pass_mark": module.pass_mark_for(programme),
            }
        )
    return {
        "programme": {"id": programme.pk, "url": programme.url},
        "modules": modules,
        "learners": [learner.email for learner in learners],
        "password": LEARNER_PASSWORD,
    }


def learner_records():
    """What the database holds for the load-test learners, keyed by e-mail address."""
    from django.contrib.auth import get_user_model

    from peerpath.certificates.models import Certificate
    from peerpath.training.models import Attestation, CheckAttempt, Enrolment, ModuleProgress

    records = {
        email: {
            "attempts": [],
            "completed": [],
            "agreed": False,
            "programme_completed": False,
            "certificates": 0,
        }
        for email in get_user_model()
        .objects.filter(email__endswith="@load.example")
        .values_list("email", flat=True)
    }
    for email, module_id, number, score, passed in CheckAttempt.objects.filter(
        user__email__endswith="@load.example"
    ).values_list("user__email", "module_id", "number", "score", "passed"):
        records[email]["attempts"].append([module_id, number, score, passed])
    for email, module_id in ModuleProgress.objects.filter(
        user__email__endswith="@load.example", completed_at__isnull=False
    ).values_list("user__email", "module_id"):
        records[email]["completed"].append(module_id)
    for email in Enrolment.objects.filter(
        user__email__endswith="@load.example", completed_at__isnull=False
    ).values_list("user__email", flat=True):
        records[email]["programme_completed"] = True
    for email in Attestation.objects.filter(user__email__endswith="@load.example").values_list(
        "user__email", flat=True
    ):
        records[email]["agreed"] = True
    for email in Certificate.objects.filter(holder__email__endswith="@load.example").values_list(
        "holder__email", flat=True
    ):
        records[email]["certificates"] += 1
    return records


STEPS = {
    "seed_bulk": seed_bulk,
    "issue_all": issue_all,
    "certificate_html": certificate_html,
    "seed_learners": seed_learners,
    "learner_records": learner_records,
}

if __name__ == "__main__":
    django.setup()
    name, *args = sys.argv[1:]
    print(json.dumps(STEPS[name](*args)))
