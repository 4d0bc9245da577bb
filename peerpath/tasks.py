"""The Redis task backend, with jobs queued when the database transaction that enqueued them commits.

django-tasks-rq's `RQBackend.enqueue` puts the job on the Redis queue at once. Called inside a
transaction (Wagtail enqueues `update_reference_index_task` from `post_save`, which fires inside
ours), a worker can pick the job up before the commit and find no row: `DoesNotExist`, a failed
job. django-rq's `COMMIT_MODE` does not help: it is honoured by `Queue.enqueue_call`, and
django-tasks-rq calls `create_job` and `enqueue_job` instead; django-tasks (0.12) has no
enqueue-on-commit option either.

`OnCommitRQBackend` enqueues as `RQBackend` does outside a transaction. Inside one it builds the
same `TaskResult` and rq `Job` (same id) straight away, without a word to Redis, and puts the job
on the queue in `transaction.on_commit`: if the transaction, or the savepoint the enqueue happened
in, rolls back, the job never reaches Redis, so no worker can run it. `enqueued_at` of the returned
result is filled in, and `task_enqueued` sent, when the job is really queued.

Until the commit, `get_result(id)` raises `TaskResultDoesNotExist` (Redis has never heard of the
job); after it, the result is READY, then RUNNING, SUCCESSFUL or FAILED as with `RQBackend`.

If Redis refuses the job at commit time, the error propagates from the commit like any other
`on_commit` callback's (the data is committed; the job is lost, loudly), as the project's own
`transaction.on_commit(lambda: task.enqueue(...))` calls already behave.
"""

from functools import partial

import django_rq
from django.db import DEFAULT_DB_ALIAS, transaction
from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from rq.job import Callback, JobStatus


class OnCommitRQBackend(RQBackend):
    """`RQBackend` whose jobs wait for the enqueuing transaction to commit.

    OPTIONS: `{"DATABASE": alias}`, the database whose transaction counts (default "default").

    `RQBackend.enqueue` (django-tasks-rq 0.12) builds the result, creates the job and queues it in
    one method, so the first two steps are mirrored here, argument for argument; the tests in
    tests/scale/test_task_queue_commit.py compare the jobs of both paths field by field.
    """

    def enqueue(self, task, args, kwargs):
        database = self.options.get("DATABASE", DEFAULT_DB_ALIAS)
        if not transaction.get_connection(database).in_atomic_block:
            return super().enqueue(task, args, kwargs)

        self.validate_task(task)
        task_result = self._new_result(task, args, kwargs)
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = self._create_job(queue, task, task_result, args, kwargs)  # in memory only
        transaction.on_commit(partial(self._queue_job, queue, job, task_result), using=database)
        return task_result

    def _new_result(self, task, args, kwargs):
        """The READY result `RQBackend.enqueue` returns, with a new id."""
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    def _create_job(self, queue, task, task_result, args, kwargs):
        """The rq job `RQBackend.enqueue` creates for `task_result` (`create_job` saves nothing)."""
        return queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
        )

    def _queue_job(self, queue, job, task_result):
        """What `RQBackend.enqueue` does once the job exists: queue or schedule it, then tell."""
        task = task_result.task
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
