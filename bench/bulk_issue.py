"""Bulk issuing through the production queue against plain WeasyPrint, in the same run.

    .venv/bin/python bench/bulk_issue.py [--certificates 1000] [--workers 2]
                                         [--worker-class rq.worker.SimpleWorker]

PeerPath: a database of its own on PostgreSQL, `--certificates` seeded learners, and `--workers`
queue workers started with the README's command (`manage.py rqworker default --job-class
django_tasks_rq.backend.Job`, optionally with another rq worker class). The clock runs from the
first `issue_for_completion` (each commit enqueues that certificate's PDF job) until every PDF is
stored. Baseline: as many plain WeasyPrint processes, started and warmed up beforehand, rendering
the same number of PDFs of the HTML of one of those certificates.

Needs PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres) and Redis
(BENCH_QUEUE_REDIS_URL, default redis://127.0.0.1:6379/11, flushed before and after). Prints a
Markdown section; the database, Redis data and processes it starts are gone when it exits.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import manage  # noqa: E402
from tests.scale.stack import WORKER, fresh_postgres_database, redis_available  # noqa: E402

PYTHON = sys.executable
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_QUEUE_REDIS_URL", "redis://127.0.0.1:6379/11")

# Plain WeasyPrint, nothing of Django or PeerPath: warm up, say so, wait for the start signal,
# render, and report each render's milliseconds.
BARE_RENDERER = """
import json, sys, time
from weasyprint import HTML
html = open(sys.argv[1]).read()
HTML(string=html).write_pdf()
print("ready", flush=True)
sys.stdin.readline()
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    HTML(string=html).write_pdf()
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps(times), flush=True)
"""


def step(env, name, *args, module="bench.steps"):
    """Run a Django-side step (of bench/steps.py, or of `module`) in a child process; return its
    JSON."""
    result = subprocess.run(
        [PYTHON, "-m", module, name, *map(str, args)],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
    )
    if result.returncode != 0:
        sys.exit(f"bench step {name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Workers:
    """`count` queue workers in child processes, started with the README's worker command."""

    def __init__(self, env, count, worker_class, connection):
        command = [PYTHON, "manage.py", *WORKER, "--verbosity", "0"]
        if worker_class:
            command += ["--worker-class", worker_class]
        self.processes = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(count)]
        deadline = time.monotonic() + 60
        while connection.scard("rq:workers:default") < count:
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                self.stop()
                sys.exit("the queue workers did not start")
            time.sleep(0.2)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # rq's warm shutdown
        for process in self.processes:
            process.wait(timeout=60)


def bare_weasyprint(html_path, count, processes):
    """`processes` plain WeasyPrint processes render `count` PDFs in all; (seconds, render ms)."""
    share = [count // processes + (n < count % processes) for n in range(processes)]
    renderers = [
        subprocess.Popen(
            [PYTHON, "-c", BARE_RENDERER, str(html_path), str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in share
    ]
    for renderer in renderers:
        if renderer.stdout.readline().strip() != "ready":
            sys.exit("a bare WeasyPrint process failed to start")
    start = time.monotonic()
    for renderer in renderers:
        renderer.stdin.write("go\n")
        renderer.stdin.flush()
    times = []
    for renderer in renderers:
        times += json.loads(renderer.stdout.readline())
        renderer.wait()
    return time.monotonic() - start, times


def site_env(database_url, redis_url, workdir):
    """The environment of a bench site on PostgreSQL with Redis for the cache and task queue."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "rq",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
    }


def measure(args):
    import redis

    queue = redis.Redis.from_url(REDIS_URL)
    workdir = Path(tempfile.mkdtemp(prefix="peerpath-bulk-"))
    name = f"peerpath_bench_{os.getpid()}"
    queue.flushdb()
    try:
        with fresh_postgres_database(POSTGRES_URL, name) as database_url:
            env = site_env(database_url, REDIS_URL, workdir)
            print(f"bulk issue: seeding {args.certificates} learners in {name}", file=sys.stderr)
            manage(env, "migrate", "--noinput")
            seeded = step(env, "seed_bulk", args.certificates)
            queue.flushdb()  # e-mails the seeding queued are not part of the run
            workers = Workers(env, args.workers, args.worker_class, queue)
            try:
                print("bulk issue: issuing through the queue", file=sys.stderr)
                ours = step(env, "issue_all", seeded["programme_id"], args.timeout)
                print(f"bulk issue: {json.dumps(ours)}", file=sys.stderr)
            finally:
                workers.stop()
            html = workdir / "certificate.html"
            step(env, "certificate_html", html)
        print("bulk issue: rendering with plain WeasyPrint", file=sys.stderr)
        base_seconds, renders = bare_weasyprint(html, args.certificates, args.workers)
    finally:
        queue.flushdb()
        subprocess.run(["rm", "-rf", str(workdir)], check=False)
    return ours, base_seconds, renders


def report(args, ours, base_seconds, renders):
    done = ours["certificates"] - ours["missing_pdfs"]
    rate = done / ours["seconds"]
    base_rate = args.certificates / base_seconds
    ratio = rate / base_rate
    met = "yes" if ratio >= 0.8 and not ours["missing_pdfs"] and not ours["failed_jobs"] else "no"
    worker_class = args.worker_class or ours["settings_worker_class"]
    busy = sum(ours["busy_seconds"]) / (ours["seconds"] * args.workers)
    render_ms = statistics.median(renders)
    lines = [
        "## Bulk issue through the queue",
        "",
        f"{args.certificates} certificates issued one after another by `issue_for_completion` "
        f"(one transaction each; the commit enqueues the jobs), run by {args.workers} "
        f"queue workers `manage.py {' '.join(WORKER)}` with worker class `{worker_class}`, "
        "PostgreSQL and Redis on loopback. The clock runs from the first issue to the last PDF "
        f"stored. Baseline: {args.workers} plain WeasyPrint processes, warmed up, rendering "
        f"{args.certificates} PDFs of the same certificate HTML in all.",
        "",
        "| PeerPath | certificates | s | certificates/s | failed | baseline | PDFs | s "
        "| PDFs/s | ratio | goal | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| Bulk issue through the queue, {args.workers} workers | {done} | "
        f"{ours['seconds']:.1f} | {rate:.2f} | {ours['failed_jobs'] + ours['missing_pdfs']} | "
        f"{args.workers} plain WeasyPrint processes | {args.certificates} | {base_seconds:.1f} | "
        f"{base_rate:.2f} | {ratio:.2f}x | ≥ 0.80x | {met} |",
        "",
        "| where the time goes | figure |",
        "| --- | --- |",
        f"| issuing the {ours['certificates']} certificates in one process, overlapping "
        f"the workers | {ours['issue_seconds']:.1f} s ({ours['issue_cpu_seconds']:.1f} s of "
        "its CPU) |",
        f"| one bare WeasyPrint render of the same HTML, median | {render_ms:.0f} ms |",
    ]
    for name, job in ours["jobs"].items():
        lines.append(
            f"| job `{name}` as rq records it: {job['count']} jobs, median | "
            f"{job['median_ms']:.0f} ms |"
        )
    lines += [
        f"| share of the workers' wall time inside jobs (the rest: dequeue, fork, bookkeeping) "
        f"| {busy:.0%} |",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--worker-class", default="", help="an rq worker class path, e.g. rq.worker.SimpleWorker"
    )
    parser.add_argument("--timeout", type=int, default=600, help="seconds to wait for the PDFs")
    args = parser.parse_args()
    if not redis_available():
        sys.exit("bulk issue needs Redis on 127.0.0.1:6379")
    print(report(args, *measure(args)))


if __name__ == "__main__":
    main()
