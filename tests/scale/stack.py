"""The production stack for child processes, shared by the scale tests and the benchmarks:
a database of their own on the PostgreSQL server, Redis, and the queue worker the README documents.
"""

import socket
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

# django-rq's worker with django-tasks-rq's job class, as in the README's "Production" section.
WORKER = ["rqworker", "default", "--job-class", "django_tasks_rq.backend.Job"]


@contextmanager
def fresh_postgres_database(url, name):
    """Create the database `name` on the server `url` points at; yield its URL; drop it after."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_available(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
