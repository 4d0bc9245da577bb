"""Booking under load: simulated participants book and cancel places over HTTP against gunicorn on
PostgreSQL; afterwards every session's places and every participant's booking must be as the
server told them.

    .venv/bin/python bench/load_bookings.py [--clients 50] [--duration 60] [--sessions 8] [--workers 2]

A database of its own on PostgreSQL (BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres) with `--sessions` upcoming sessions (8 to 16 places
each, all free); Redis for the cache and the task queue (BENCH_LOAD_REDIS_URL, default
redis://127.0.0.1:6379/10, flushed before and after; no queue worker runs, so the confirmation
messages wait in the queue) and gunicorn with `--workers` sync workers on loopback.

Each client is a thread of this process (it never imports Django) with its own cookies, standing
for a stream of people at one computer: it opens a session's page, books with a first name and a
new e-mail address (**Book a place**, or **Join the waiting list** once the session is full), reads
the booking's page, and about half the time cancels one of its bookings through that page's
**Cancel my booking** form, so places are freed, the waiting list moves up and new people book, with
no think time. The site runs as behind one load balancer (`PEERPATH_TRUSTED_PROXY_COUNT=1`), and
each booking comes from its own address in X-Forwarded-For: the booking rate limit counts people,
and 50 clients are many more than 50 people in a minute. Any answer other than the one a browser
would expect (a 5xx, a 429, a refused booking) is an error.

Afterwards, from the database: `places_taken` equals the confirmed bookings of every session and
never exceeds its capacity; every booking the server confirmed exists once, cancelled if (and only
if) its client cancelled it, still holding its place if it was told it had one, and confirmed or
still waiting if it was put on the waiting list. Prints a Markdown section.
"""

import argparse
import http.cookiejar
import os
import random
import re
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

import redis  # noqa: E402 - the load test needs Redis (the `redis` extra), as production does

from bench.bulk_issue import site_env, step  # noqa: E402
from bench.load_learners import (  # noqa: E402
    CSRF,
    TIMEOUT,
    NoRedirects,
    UnexpectedResponse,
    latency_table,
)
from bench.run import Server, manage  # noqa: E402
from tests.scale.stack import fresh_postgres_database, redis_available  # noqa: E402

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/10")
DOMAIN = "@load.example"
BOOKING_PAGE = re.compile(r"^(/groups/booking/[^/]+/)$")
#: What the booking's own page says for each state (meetings/booking.html).
SAYS = {
    "confirmed": "You have a place.",
    "waiting": "on the waiting list.",
    "cancelled": "This booking is cancelled.",
}
STEPS = "bench.booking_steps"
NAMES = ["Alex", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lou"]


def csrf_token(html):
    match = CSRF.search(html)
    if match is None:
        raise UnexpectedResponse("no CSRF token on the page")
    return match.group(1)


def state_of(html):
    """Which state the booking's page reports."""
    for state, text in SAYS.items():
        if text in html:
            return state
    raise UnexpectedResponse("the booking's page does not say whether there is a place")


class Client(threading.Thread):
    """Books and cancels until `deadline`, recording what the server said about each booking."""

    def __init__(self, number, sessions, base_url, deadline, timings):
        super().__init__()
        self.number = number
        self.sessions = sessions
        self.base_url = base_url
        self.deadline = deadline
        self.timings = timings
        self.random = random.Random(number)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )
        self.errors = []
        self.made = 0
        # email → [what the server said when it was booked, booking page, cancelled by us]
        self.bookings = {}

    def request(self, kind, path, form=None, expect=200, person=0):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        # Each person has their own address behind the load balancer.
        address = f"10.{self.number % 250}.{person // 250 % 250}.{person % 250 + 1}"
        request = urllib.request.Request(
            self.base_url + path, data=data, headers={"X-Forwarded-For": address}
        )
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

    def run(self):
        try:
            while time.monotonic() < self.deadline:
                self.book(self.random.choice(self.sessions))
                active = [email for email, b in self.bookings.items() if not b[2]]
                if active and self.random.random() < 0.5:
                    self.cancel(self.random.choice(active))
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            self.errors.append(f"client {self.number}: {type(error).__name__}: {error}")

    def book(self, session):
        self.made += 1
        person = self.made
        email = f"c{self.number}-{person}{DOMAIN}"
        _headers, page = self.request("session page", session["url"], person=person)
        headers, _body = self.request(
            "book",
            session["book_url"],
            {
                "csrfmiddlewaretoken": csrf_token(page),
                "first_name": self.random.choice(NAMES),
                "email": email,
                "phone": "",
                "access_needs": "",
            },
            expect=303,
            person=person,
        )
        location = headers["Location"]
        if not BOOKING_PAGE.match(location):
            raise UnexpectedResponse(f"book: sent to {location}, not the booking's page")
        _headers, page = self.request("booking page", location, person=person)
        said = state_of(page)
        if said == "cancelled":
            raise UnexpectedResponse(f"a new booking's page says it is cancelled: {email}")
        self.bookings[email] = [said, location, False]

    def cancel(self, email):
        booking = self.bookings[email]
        person = int(email.split("-", 1)[1].split("@")[0])
        _headers, page = self.request("booking page", booking[1], person=person)
        self.request(
            "cancel",
            booking[1] + "cancel/",
            {"csrfmiddlewaretoken": csrf_token(page)},
            expect=303,
            person=person,
        )
        booking[2] = True
        _headers, page = self.request("booking page", booking[1], person=person)
        if state_of(page) != "cancelled":
            raise UnexpectedResponse(f"cancelled, but the booking's page disagrees: {email}")


def reconcile(clients, records):
    """Compare what the server told each client with the database; return counts and problems."""
    problems = []
    for session in records["sessions"]:
        if session["places_taken"] != session["confirmed"]:
            problems.append(
                f"session {session['id']}: places_taken {session['places_taken']}, "
                f"{session['confirmed']} confirmed bookings"
            )
        if session["places_taken"] > session["capacity"]:
            problems.append(f"session {session['id']} is overbooked")
    stored = records["bookings"]
    told = {email: b for client in clients for email, b in client.bookings.items()}
    for email, (said, _page, cancelled) in told.items():
        if email not in stored:
            problems.append(f"{email}: booked ({said}) but not in the database")
            continue
        status, _promoted = stored[email]
        expected = {"cancelled"} if cancelled else {"confirmed"}
        if not cancelled and said == "waiting":
            expected = {"confirmed", "waiting"}  # the waiting list may have moved up since
        if status not in expected:
            problems.append(f"{email}: told {said}, cancelled={cancelled}, database {status}")
    for email in set(stored) - set(told):
        # A booking whose answer never arrived (a timeout) would be here: counted, not hidden.
        problems.append(f"{email}: in the database, but its client was never told")
    if records["duplicates"]:
        problems.append(f"{records['duplicates']} addresses booked more than once")
    return told, problems


def measure(args):
    cache = redis.Redis.from_url(REDIS_URL)
    workdir = Path(tempfile.mkdtemp(prefix="peerpath-bookings-"))
    name = f"peerpath_bench_bookings_{os.getpid()}"
    cache.flushdb()
    try:
        with fresh_postgres_database(POSTGRES_URL, name) as database_url:
            env = {
                **site_env(database_url, REDIS_URL, workdir),
                "PEERPATH_TRUSTED_PROXY_COUNT": "1",
            }
            print(f"bookings: building a site in {name}", file=sys.stderr)
            manage(env, "migrate", "--noinput")
            sessions = step(env, "seed", args.sessions, module=STEPS)["sessions"]
            server = Server(env, args.workers)
            timings = []
            try:
                print(f"bookings: {args.clients} clients for {args.duration} s", file=sys.stderr)
                start = time.monotonic()
                deadline = start + args.duration
                clients = [
                    Client(number, sessions, server.url, deadline, timings)
                    for number in range(args.clients)
                ]
                for client in clients:
                    client.start()
                for client in clients:
                    client.join()
                elapsed = time.monotonic() - start
            finally:
                server.stop()
            records = step(env, "records", module=STEPS)
    finally:
        cache.flushdb()
        subprocess.run(["rm", "-rf", str(workdir)], check=False)
    return clients, timings, elapsed, records


def report(args, clients, timings, elapsed, records):
    errors = [error for client in clients for error in client.errors]
    told, problems = reconcile(clients, records)
    statuses = [status for status, _promoted in records["bookings"].values()]
    promoted = sum(1 for _status, was_promoted in records["bookings"].values() if was_promoted)
    sessions = records["sessions"]
    met = "yes" if not errors and not problems else "no"
    lines = [
        f"## Booking load: {args.clients} clients booking and cancelling for {args.duration} s",
        "",
        f"gunicorn {args.workers} sync workers, PostgreSQL ({len(sessions)} upcoming sessions, "
        f"{sum(s['capacity'] for s in sessions)} places), Redis cache and task queue (no worker), "
        f"{args.clients} client threads of one load-generating process on loopback, no think "
        f"time. {len(timings)} requests in {elapsed:.1f} s: **{len(timings) / elapsed:.1f} req/s**, "
        f"{len(errors)} errors.",
        "",
        *latency_table(timings, elapsed),
        "",
        "| reconciliation | told to clients | in the database |",
        "| --- | --- | --- |",
        f"| bookings | {len(told)} | {len(statuses)} |",
        f"| … told “you have a place” | {sum(1 for b in told.values() if b[0] == 'confirmed')} "
        f"| — |",
        f"| … told “waiting list” | {sum(1 for b in told.values() if b[0] == 'waiting')} | — |",
        f"| cancelled | {sum(1 for b in told.values() if b[2])} | {statuses.count('cancelled')} |",
        f"| promoted from the waiting list | — | {promoted} |",
        f"| places taken (all sessions) | — | {sum(s['places_taken'] for s in sessions)} "
        f"(confirmed bookings: {sum(s['confirmed'] for s in sessions)}) |",
        f"| still waiting | — | {sum(s['waiting'] for s in sessions)} |",
        "",
        "| goal | result | met |",
        "| --- | --- | --- |",
        f"| zero errors, places_taken = confirmed bookings everywhere, every booking as told | "
        f"{len(errors)} errors, {len(problems)} differences | {met} |",
        "",
    ]
    for problem in (errors + problems)[:10]:
        lines.append(f"- {problem}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--sessions", type=int, default=8, help="sessions to book")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    if not redis_available():
        sys.exit("the booking load test needs Redis on 127.0.0.1:6379")
    print(report(args, *measure(args)))


if __name__ == "__main__":
    main()
