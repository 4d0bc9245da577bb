"""Racing real threads against the database, for the PostgreSQL concurrency tests."""

import threading

from django.db import connection


def run_together(*calls, timeout=60):
    """Run each call in its own thread (own database connection), released at the same moment.

    Returns what each call returned, or the exception it raised, in the order given.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
