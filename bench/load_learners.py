"""A cohort at work: simulated learners browse, answer knowledge checks and complete modules
against gunicorn on PostgreSQL; afterwards the database must hold exactly what they were told.

    .venv/bin/python bench/load_learners.py [--learners 50] [--duration 60] [--workers 2]

A database of its own on PostgreSQL (BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres) with the demo programme (`load_demo`) and
`--learners` accounts with confirmed addresses, enrolled; the production stack otherwise: Redis
for the cache and the task queue (BENCH_LOAD_REDIS_URL, default redis://127.0.0.1:6379/10, flushed
before and after; no queue worker runs, so PDFs and e-mails wait in the queue) and gunicorn with
`--workers` sync workers on loopback.

Each learner is a thread of this process (the load generator; it never imports Django) with its own
cookies. It logs in through the form, opens the programme, then works through the modules in order:
opens each one, marks it complete or answers its check (some attempts wrong on purpose, until one
passes), agrees to the code of conduct, and once certified retakes checks to practise until the
time is up. Every request is timed by kind; a response other than the one a browser would expect
is an error. Afterwards the attempts, completed modules, agreements, programme completions and
certificates in the database are compared, learner by learner, with the successful responses.
Prints a Markdown section.
"""

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bulk_issue import site_env, step  # noqa: E402
from bench.run import Server, manage  # noqa: E402
from tests.scale.stack import fresh_postgres_database, redis_available  # noqa: E402

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/10")
TIMEOUT = 120  # seconds: a slow answer is measured, not abandoned (that would lose its record)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTEMPT = re.compile(r'name="attempt" value="(\d+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
COMPLETED = "Congratulations: you have completed the programme."


class UnexpectedResponse(Exception):
    """The server answered something a browser following the page would not expect."""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 30x is a result to record, not something to follow


class Browser:
    """One learner's browser: its own cookies, every request timed under a kind."""

    def __init__(self, base_url, timings):
        self.base_url = base_url
        self.timings = timings
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def request(self, kind, path, form=None, expect=200):
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        request = urllib.request.Request(self.base_url + path, data=data)
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as response:
            status, headers, body = response.code, response.headers, response.read()
        self.timings.append((kind, (time.perf_counter() - start) * 1000))
        if status != expect:
            raise UnexpectedResponse(f"{kind}: HTTP {status} from {path}")
        return headers, body.decode()

    def get(self, kind, path):
        return self.request(kind, path)[1]

    def post(self, kind, path, form):
        headers, _body = self.request(kind, path, form, expect=303 if kind != "log in" else 302)
        return headers["Location"]


def token(pattern, html, what):
    match = pattern.search(html)
    if match is None:
        raise UnexpectedResponse(f"no {what} on the page")
    return match.group(1)


class Learner(threading.Thread):
    """Works through the programme until `deadline`, recording what the server confirmed."""

    def __init__(self, email, setup, base_url, deadline, seed, timings):
        super().__init__()
        self.email = email
        self.setup = setup
        self.deadline = deadline
        self.random = random.Random(seed)
        self.browser = Browser(base_url, timings)
        self.errors = []
        # What successful responses told this learner: the database must say the same.
        self.attempts = set()
        self.completed = set()
        self.agreed = False
        self.programme_completed = False

    def run(self):
        try:
            self.log_in()
            self.browser.get("programme page", self.setup["programme"]["url"])
            for module in self.setup["modules"]:
                if time.monotonic() >= self.deadline:
                    return
                self.study(module)
            self.agree()
            while time.monotonic() < self.deadline:  # certified: practise
                self.study(self.random.choice(self.setup["modules"]), practise=True)
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            self.errors.append(f"{type(error).__name__}: {error}")

    def log_in(self):
        page = self.browser.get("log-in page", "/accounts/login/")
        self.browser.post(
            "log in",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token(CSRF, page, "CSRF token"),
                "username": self.email,
                "password": self.setup["password"],
            },
        )

    def study(self, module, practise=False):
        page = self.browser.get("module page", module["url"])
        if not module["questions"]:
            if module["id"] in self.completed:
                return
            self.browser.post(
                "mark as complete",
                f"/training/modules/{module['id']}/complete/",
                {"csrfmiddlewaretoken": token(CSRF, page, "CSRF token")},
            )
            self.completed.add(module["id"])
            return
        while time.monotonic() < self.deadline:
            passed = self.answer(module, page, wrong_on_purpose=not practise)
            if passed:
                return
            page = self.browser.get("module page", module["url"])

    def answer(self, module, page, wrong_on_purpose):
        """Submit the check with some answers wrong now and then; return whether it passed."""
        questions = module["questions"]
        wrong = 0
        if wrong_on_purpose and self.random.random() < 0.4:
            wrong = self.random.randint(1, len(questions))
        wrong_ids = set(self.random.sample(sorted(questions), wrong))
        form = {
            "csrfmiddlewaretoken": token(CSRF, page, "CSRF token"),
            "attempt": token(ATTEMPT, page, "attempt number"),
        }
        for question_id, choices in questions.items():
            form[f"q-{question_id}"] = choices["wrong" if question_id in wrong_ids else "right"]
        correct = len(questions) - wrong
        score = correct * 100 // len(questions)
        passed = correct * 100 >= module["pass_mark"] * len(questions)
        location = self.browser.post(
            "submit answers", f"/training/modules/{module['id']}/check/", form
        )
        number = int(form["attempt"])
        if f"attempt={number}" not in location:
            raise UnexpectedResponse(f"check submitted as attempt {number}, result at {location}")
        self.attempts.add((module["id"], number, score, passed))
        if passed:
            self.completed.add(module["id"])
        result = self.browser.get("check result", location.split("#")[0])
        said = f"You passed with {score}%" if passed else f"You scored {score}%"
        if said not in result:
            raise UnexpectedResponse(f"expected “{said}” after attempt {number}")
        return passed

    def agree(self):
        url = self.setup["programme"]["url"]
        page = self.browser.get("programme page", url)
        location = self.browser.post(
            "I agree",
            f"/training/programmes/{self.setup['programme']['id']}/agree/",
            {
                "csrfmiddlewaretoken": token(CSRF, page, "CSRF token"),
                "version": token(VERSION, page, "code of conduct version"),
            },
        )
        self.agreed = True
        self.programme_completed = COMPLETED in self.browser.get(
            "programme page", location.split("#")[0]
        )

    def expected(self):
        return {
            "attempts": sorted(self.attempts),
            "completed": sorted(self.completed),
            "agreed": self.agreed,
            "programme_completed": self.programme_completed,
            "certificates": int(self.programme_completed),
        }


def reconcile(learners, records):
    """Compare each learner's confirmed actions with the database; return rows and mismatches."""
    totals = {
        key: [0, 0]
        for key in ("attempts", "completed", "agreed", "programme_completed", "certificates")
    }
    mismatches = []
    for learner in learners:
        expected = learner.expected()
        stored = records[learner.email]
        stored["attempts"] = sorted(tuple(row) for row in stored["attempts"])
        stored["completed"] = sorted(stored["completed"])
        for key, pair in totals.items():
            pair[0] += (
                int(expected[key]) if not isinstance(expected[key], list) else len(expected[key])
            )
            pair[1] += int(stored[key]) if not isinstance(stored[key], list) else len(stored[key])
            if expected[key] != stored[key]:
                mismatches.append(
                    f"{learner.email} {key}: responses {expected[key]}, DB {stored[key]}"
                )
    return totals, mismatches


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency_table(timings, elapsed):
    """Markdown rows of requests, rate and latency per kind of request, then for all of them."""
    kinds = {}
    for kind, ms in timings:
        kinds.setdefault(kind, []).append(ms)
    lines = ["| request | count | req/s | p50 ms | p99 ms |", "| --- | --- | --- | --- | --- |"]
    for kind, values in sorted(kinds.items(), key=lambda item: -len(item[1])):
        lines.append(
            f"| {kind} | {len(values)} | {len(values) / elapsed:.1f} | "
            f"{statistics.median(values):.0f} | {percentile(values, 0.99):.0f} |"
        )
    every = [ms for _kind, ms in timings] or [0]
    lines.append(
        f"| **all** | {len(timings)} | {len(timings) / elapsed:.1f} | "
        f"{statistics.median(every):.0f} | {percentile(every, 0.99):.0f} |"
    )
    return lines


def measure(args):
    import redis

    cache = redis.Redis.from_url(REDIS_URL)
    workdir = Path(tempfile.mkdtemp(prefix="peerpath-load-"))
    name = f"peerpath_bench_load_{os.getpid()}"
    cache.flushdb()
    try:
        with fresh_postgres_database(POSTGRES_URL, name) as database_url:
            env = site_env(database_url, REDIS_URL, workdir)
            print(f"load: building the demo site in {name}", file=sys.stderr)
            manage(env, "migrate", "--noinput")
            manage(env, "load_demo")
            setup = step(env, "seed_learners", args.learners)
            server = Server(env, args.workers)
            timings = []
            try:
                print(f"load: {args.learners} learners for {args.duration} s", file=sys.stderr)
                start = time.monotonic()
                deadline = start + args.duration
                learners = [
                    Learner(email, setup, server.url, deadline, seed, timings)
                    for seed, email in enumerate(setup["learners"])
                ]
                for learner in learners:
                    learner.start()
                for learner in learners:
                    learner.join()
                elapsed = time.monotonic() - start
            finally:
                server.stop()
            records = step(env, "learner_records")
    finally:
        cache.flushdb()
        subprocess.run(["rm", "-rf", str(workdir)], check=False)
    return learners, timings, elapsed, records


def report(args, learners, timings, elapsed, records):
    errors = [error for learner in learners for error in learner.errors]
    totals, mismatches = reconcile(learners, records)
    met = "yes" if not errors and not mismatches else "no"
    lines = [
        f"## Load: {args.learners} simulated learners for {args.duration} s",
        "",
        f"gunicorn {args.workers} sync workers, PostgreSQL (`load_demo` programme, "
        f"{args.learners} enrolled learners), Redis cache and task queue (no worker), "
        f"{args.learners} learner threads of one load-generating process on loopback, no think "
        f"time. {len(timings)} requests in {elapsed:.1f} s: **{len(timings) / elapsed:.1f} req/s**, "
        f"{len(errors)} errors.",
        "",
        *latency_table(timings, elapsed),
        "",
        "| reconciliation | confirmed to learners | in the database |",
        "| --- | --- | --- |",
    ]
    labels = {
        "attempts": "knowledge-check attempts",
        "completed": "modules completed",
        "agreed": "code of conduct agreements",
        "programme_completed": "programmes completed",
        "certificates": "certificates issued",
    }
    for key, (confirmed, stored) in totals.items():
        lines.append(f"| {labels[key]} | {confirmed} | {stored} |")
    lines += [
        "",
        "| goal | result | met |",
        "| --- | --- | --- |",
        f"| zero errors, zero lost progress | {len(errors)} errors, {len(mismatches)} learners' "
        f"records differing from their responses | {met} |",
        "",
    ]
    for problem in (errors + mismatches)[:10]:
        lines.append(f"- {problem}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    if not redis_available():
        sys.exit("the load test needs Redis on 127.0.0.1:6379")
    print(report(args, *measure(args)))


if __name__ == "__main__":
    main()
