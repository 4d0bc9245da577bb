"""Jobs enqueued inside a database transaction reach the Redis queue when it commits, never before
and never after a rollback (peerpath.tasks.OnCommitRQBackend, the backend TASKS_BACKEND=rq uses).

The first tests drive a live queue worker from child processes, as in production; the last ones
check the backend in this process against Redis alone, with no worker.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from .stack import WORKER, fresh_postgres_database, redis_available
from .test_scale import ROOT, base_env, run, scenario

needs_redis = pytest.mark.skipif(not redis_available(), reason="needs Redis on 127.0.0.1:6379")

# Redis databases of their own, one set per pytest-xdist worker (tests of this module may run on
# both at once, and each flushes its queue): the suite's caches use 12 and 13, test_scale.py 14,
# the benches 10 and 11.
_XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0) % 2
WORKER_QUEUE_URL = f"redis://127.0.0.1:6379/{(15, 8)[_XDIST_WORKER]}"
UNIT_QUEUE_URL = f"redis://127.0.0.1:6379/{(9, 7)[_XDIST_WORKER]}"


@pytest.fixture(scope="module")
def live_worker(tmp_path_factory):
    """A migrated database of their own (SQLite file, or a fresh database on the PostgreSQL
    server of a PostgreSQL run), an empty Redis database, and a queue worker started with the
    README's command, polling; yields the environment for the scenarios."""
    import redis

    tmp_path = tmp_path_factory.mktemp("queue_commit")
    url = os.environ.get("DATABASE_URL", "")
    queue = redis.Redis.from_url(WORKER_QUEUE_URL)
    queue.flushdb()
    log_path = tmp_path / "worker.log"
    with _database(url, tmp_path) as database_env, open(log_path, "w") as log:
        env = base_env(tmp_path, database_env, TASKS_BACKEND="rq", REDIS_URL=WORKER_QUEUE_URL)
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", *WORKER], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + 60
            while queue.scard("rq:workers:default") < 1:
                assert worker.poll() is None, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, "the queue worker did not start"
                time.sleep(0.2)
            yield env
        finally:
            worker.send_signal(signal.SIGTERM)  # rq's warm shutdown
            worker.wait(timeout=60)
            queue.flushdb()


@contextmanager
def _database(url, tmp_path):
    """The database the child processes share: a SQLite file, or a fresh PostgreSQL database."""
    if not url.startswith(("postgres://", "postgresql://")):
        yield {"SQLITE_PATH": str(tmp_path / "queue.sqlite3")}
        return
    with fresh_postgres_database(url, f"peerpath_queue_commit_{os.getpid()}") as database_url:
        yield {"DATABASE_URL": database_url}


def _check_template_job(result):
    """On the database of the run, one reference-index job for the template, with its key."""
    postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    assert result["vendor"] == ("postgresql" if postgres else "sqlite")
    assert result["args"] == [
        ["peerpath_certificates", "certificatetemplate", result["template_id"]]
    ]


@pytest.mark.scale
@needs_redis
def test_job_enqueued_in_open_transaction_runs_only_after_commit(live_worker):
    result = scenario("reference_index_on_commit", live_worker, "commit")
    _check_template_job(result)
    # While the transaction was open, the worker ran a job enqueued after ours; ours was nowhere
    # in Redis, so no worker could start it, and a result lookup found nothing.
    assert result["sentinel"] == {"in_redis_at_once": True, "status": "SUCCESSFUL"}
    assert result["enqueued_at_before_end"] == [False]
    assert result["in_redis_before_end"] == [False]
    assert result["status_before_end"] == ["not found"]
    # The commit queued it under the id enqueue() returned, and the worker found the row.
    assert result["in_redis_after_end"] == [True]
    assert result["enqueued_at_set"] == [True]
    assert result["final_status"] == ["SUCCESSFUL"]
    assert result["failed_jobs"] == 0


@pytest.mark.scale
@needs_redis
def test_job_enqueued_in_rolled_back_transaction_never_runs(live_worker):
    result = scenario("reference_index_on_commit", live_worker, "rollback")
    _check_template_job(result)
    assert result["sentinel"] == {"in_redis_at_once": True, "status": "SUCCESSFUL"}
    assert result["in_redis_before_end"] == [False]
    # After the rollback the worker went through the queue again: still nothing of ours.
    assert result["sentinel_after_end"] == {"in_redis_at_once": True, "status": "SUCCESSFUL"}
    assert result["in_redis_after_end"] == [False]
    assert result["final_status"] == ["not found"]
    assert result["enqueued_at_set"] == [False]
    assert result["failed_jobs"] == 0


@pytest.mark.scale
@needs_redis
def test_job_enqueued_outside_a_transaction_is_queued_at_once(live_worker):
    result = scenario("reference_index_on_commit", live_worker, "autocommit")
    _check_template_job(result)
    assert result["in_redis_at_once"] == [True]
    assert result["enqueued_at_set"] == [True]
    assert result["final_status"] == ["SUCCESSFUL"]
    assert result["failed_jobs"] == 0


# In this process, with no worker: the backend against Redis alone.

ON_COMMIT_TASKS = {
    "default": {"BACKEND": "peerpath.tasks.OnCommitRQBackend", "QUEUES": ["default"]}
}
RQ_QUEUES = {"default": {"URL": UNIT_QUEUE_URL, "DEFAULT_TIMEOUT": 600}}


@pytest.fixture
def queue():
    """An empty Redis database for the default queue and the backend pointed at it."""
    import django_rq
    import redis

    connection = redis.Redis.from_url(UNIT_QUEUE_URL)
    connection.flushdb()
    with override_settings(TASKS=ON_COMMIT_TASKS, RQ_QUEUES=RQ_QUEUES):
        yield django_rq.get_queue("default")
    connection.flushdb()


@pytest.fixture
def enqueued_signals():
    from django_tasks.signals import task_enqueued

    sent = []

    def receiver(sender, task_result, **kwargs):
        sent.append(task_result.id)

    task_enqueued.connect(receiver)
    yield sent
    task_enqueued.disconnect(receiver)


def _reference_index_task():
    from wagtail.tasks import update_reference_index_task

    return update_reference_index_task


@pytest.mark.scale
@needs_redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enqueue_inside_atomic_leaves_redis_alone_until_commit(queue, enqueued_signals):
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    task = _reference_index_task()
    with transaction.atomic():
        result = task.enqueue("wagtailcore", "locale", "1")
        assert result.status == TaskResultStatus.READY and result.enqueued_at is None
        assert queue.connection.dbsize() == 0, "nothing may reach Redis before the commit"
        with pytest.raises(TaskResultDoesNotExist):
            default_task_backend.get_result(result.id)
        assert enqueued_signals == []
    assert queue.job_ids == [result.id]
    assert default_task_backend.get_result(result.id).status == TaskResultStatus.READY
    assert result.enqueued_at is not None
    assert enqueued_signals == [result.id]


@pytest.mark.scale
@needs_redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enqueue_in_rolled_back_transaction_or_savepoint_never_reaches_redis(
    queue, enqueued_signals
):
    task = _reference_index_task()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        task.enqueue("wagtailcore", "locale", "1")
        1 / 0  # noqa: B018
    assert queue.connection.dbsize() == 0
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), transaction.atomic():  # a savepoint
            task.enqueue("wagtailcore", "locale", "2")
            1 / 0  # noqa: B018
        kept = task.enqueue("wagtailcore", "locale", "3")
        assert queue.connection.dbsize() == 0
    assert queue.job_ids == [kept.id]
    assert enqueued_signals == [kept.id]


@pytest.mark.scale
@needs_redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enqueue_outside_a_transaction_is_immediate(queue, enqueued_signals):
    result = _reference_index_task().enqueue("wagtailcore", "locale", "1")
    assert queue.job_ids == [result.id]
    assert result.enqueued_at is not None
    assert enqueued_signals == [result.id]


@pytest.mark.scale
@needs_redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("deferred", [False, True], ids=["queued", "run_after"])
def test_job_queued_at_commit_is_the_job_rqbackend_queues(queue, deferred):
    """OnCommitRQBackend mirrors RQBackend.enqueue's result and job; compare them field by field,
    so that an upgrade of django-tasks-rq that changes them fails here."""
    from django_tasks import default_task_backend
    from django_tasks_rq.backend import Job

    task = _reference_index_task()
    if deferred:
        task = task.using(run_after=timezone.now() + timedelta(hours=1))
    immediate = task.enqueue("wagtailcore", "locale", "1")  # outside: RQBackend.enqueue itself
    with transaction.atomic():
        on_commit = task.enqueue("wagtailcore", "locale", "1")

    def comparable(result):
        job = Job.fetch(result.id, connection=queue.connection)
        fields = job.to_dict()
        for moment in ("created_at", "enqueued_at", "last_heartbeat"):
            fields.pop(moment, None)
        task_result = default_task_backend.get_result(result.id)
        seen = {
            name: getattr(task_result, name)
            for name in ("status", "args", "kwargs", "backend", "errors", "worker_ids")
        }
        seen["task"] = (task_result.task.module_path, task_result.task.queue_name)
        returned = {
            name: getattr(result, name)
            for name in ("status", "args", "kwargs", "backend", "errors", "worker_ids")
        }
        return fields, seen, list(returned["args"]), returned["status"], job.get_status()

    assert comparable(on_commit) == comparable(immediate)
    if deferred:
        assert queue.job_ids == []
        assert sorted(queue.scheduled_job_registry.get_job_ids()) == sorted(
            [immediate.id, on_commit.id]
        )
    else:
        assert queue.job_ids == [immediate.id, on_commit.id]
