"""The embedded default and the production stack under real concurrency (child processes)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .stack import WORKER, fresh_postgres_database, redis_available

ROOT = Path(__file__).resolve().parents[2]


def run(args, env, timeout=300):
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def scenario(name, env, *args):
    out = run([sys.executable, "-m", "tests.scale.scenarios", name, *args], env)
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def database_env(tmp_path):
    """A database of its own for the child processes: a SQLite file, or on a PostgreSQL run a
    fresh database on the same server (dropped afterwards)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {"SQLITE_PATH": str(tmp_path / "scale.sqlite3")}
        return
    name = f"peerpath_scale_{os.getpid()}_{tmp_path.name[-8:]}".lower().replace("-", "_")
    with fresh_postgres_database(url, name) as database_url:
        yield {"DATABASE_URL": database_url}


def base_env(tmp_path, database_env, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="ERROR",
        **database_env,
    )
    env.update(extra)
    return env


@pytest.mark.scale
def test_concurrent_learners_complete_modules_without_errors(tmp_path, database_env):
    """On the SQLite default this is WAL + IMMEDIATE transactions at work; on PostgreSQL, the
    row locks of the progress tracker."""
    result = scenario("concurrent_progress", base_env(tmp_path, database_env))
    assert result["vendor"] == ("postgresql" if "DATABASE_URL" in database_env else "sqlite")
    assert result["error_count"] == 0, result["errors"]
    assert result["successes"] == result["recorded"] == 8 * 6


@pytest.mark.scale
@pytest.mark.skipif(not redis_available(), reason="needs Redis on 127.0.0.1:6379")
def test_certificate_pdf_is_rendered_by_a_real_queue_worker(tmp_path, database_env):
    import redis

    queue_url = "redis://127.0.0.1:6379/14"  # the suite's caches use 12 and 13
    redis.Redis.from_url(queue_url).flushdb()
    env = base_env(tmp_path, database_env, TASKS_BACKEND="rq", REDIS_URL=queue_url)
    queued = scenario("enqueue_certificate", env)
    assert queued["backend"] == "peerpath.tasks.OnCommitRQBackend"
    assert queued["created"] and not queued["has_pdf"], "rendering must wait for the worker"
    run([sys.executable, "manage.py", *WORKER, "--burst"], env)
    state = scenario("certificate_state", env, str(queued["certificate_id"]))
    assert state["has_pdf"] and len(state["sha256"]) == 64
