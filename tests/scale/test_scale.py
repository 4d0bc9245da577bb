"""The embedded default and the production stack under real concurrency (child processes)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The worker command the README documents: django-rq's worker with django-tasks-rq's job class.
WORKER = ["rqworker", "default", "--job-class", "django_tasks_rq.backend.Job"]


def run(args, env, timeout=300):
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def scenario(name, env, *args):
    out = run([sys.executable, "-m", "tests.scale.scenarios", name, *args], env)
    return json.loads(out.strip().splitlines()[-1])


def base_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        SQLITE_PATH=str(tmp_path / "scale.sqlite3"),
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="ERROR",
    )
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def redis_available():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.slow
def test_sqlite_default_takes_concurrent_learners_without_errors(tmp_path):
    result = scenario("concurrent_progress", base_env(tmp_path))
    assert result["vendor"] == "sqlite"
    assert result["error_count"] == 0, result["errors"]
    assert result["successes"] == result["recorded"] == 8 * 6


@pytest.mark.slow
@pytest.mark.skipif(not redis_available(), reason="needs Redis on 127.0.0.1:6379")
def test_certificate_pdf_is_rendered_by_a_real_queue_worker(tmp_path):
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/14").flushdb()
    env = base_env(tmp_path, TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/14")
    queued = scenario("enqueue_certificate", env)
    assert queued["backend"] == "django_tasks_rq.RQBackend"
    assert queued["created"] and not queued["has_pdf"], "rendering must wait for the worker"
    run([sys.executable, "manage.py", *WORKER, "--burst"], env)
    state = scenario("certificate_state", env, str(queued["certificate_id"]))
    assert state["has_pdf"] and len(state["sha256"]) == 64
