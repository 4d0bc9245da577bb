"""PeerPath benchmarks: each PeerPath figure next to its baseline, measured in the same run.

    .venv/bin/python bench/run.py [--duration 10] [--connections 16] [--workers 2]

Builds a throw-away SQLite site (or uses DATABASE_URL), serves it with gunicorn on loopback, loads it
with wrk from a second process, times PDF work in-process, and writes a Markdown table of medians and
ratios to bench/results/. Nothing here is a pass/fail test.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Server:
    """gunicorn with N sync workers on a free loopback port."""

    def __init__(self, env, workers):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/bench/ok/", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit("gunicorn did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, duration, connections, cookie=None):
    """Load `url` from a second process; return requests/s, p50/p99 in ms and error count."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    latency = {m[0]: float(m[1]) * UNITS[m[2]] for m in LATENCY.findall(out)}
    errors = 0
    for match in re.finditer(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out):
        if match.group(1):
            errors += int(match.group(1))
        else:
            errors += sum(int(n) for n in re.findall(r"\d+", match.group(2)))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": latency.get("50"), "p99": latency.get("99"), "errors": errors}


def describe_machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def http_rows(env, setup, args):
    server = Server(env, args.workers)
    rows = []
    try:
        pairs = [
            (
                "Enrolled learner's module page",
                setup["module_url"],
                setup["cookie"],
                "bare Wagtail page, same body",
                setup["bare_url"],
                None,
                1.0,
            ),
            (
                "Public verification page",
                setup["verify_url"],
                None,
                "bare Wagtail page, same body",
                setup["bare_url"],
                None,
                2.0,
            ),
            (
                f"Find a group: {setup['finder_sessions']:,} upcoming sessions, 50 organisations",
                setup["finder_url"],
                None,
                "bare Wagtail page, same body",
                setup["bare_url"],
                None,
                1.0,
            ),
            (
                "Public verification page",
                setup["verify_url"],
                None,
                "plain Django view",
                "/bench/ok/",
                None,
                None,
            ),
        ]
        for name, url, cookie, base_name, base_url, base_cookie, goal in pairs:
            for warm in (url, base_url):
                wrk(server.url + warm, 2, args.connections, cookie if warm == url else base_cookie)
            ours = wrk(server.url + url, args.duration, args.connections, cookie)
            base = wrk(server.url + base_url, args.duration, args.connections, base_cookie)
            rows.append((name, base_name, ours, base, goal))
    finally:
        server.stop()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--pdf-runs", type=int, default=15)
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="only the page figures: skip the PDF, queue and load scenarios",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench installs it where it can)")

    workdir = Path(tempfile.mkdtemp(prefix="peerpath-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "MEDIA_ROOT": str(workdir / "media"),
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
    }
    print(f"bench: building a site in {workdir}")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    setup = json.loads(manage(env, "bench_setup").strip().splitlines()[-1])

    http = http_rows(env, setup, args)
    pdf = (
        {"rows": []}
        if args.http_only
        else json.loads(
            manage(env, "bench_pdf", "--runs", str(args.pdf_runs)).strip().splitlines()[-1]
        )
    )

    lines = [
        f"# PeerPath benchmarks — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {describe_machine()}. Database: "
        f"{'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite (WAL)'}. "
        f"gunicorn {args.workers} sync workers; wrk 2 threads, {args.connections} connections, "
        f"{args.duration} s per URL, from a second process on loopback.",
        "",
        "| PeerPath | req/s | p50 ms | p99 ms | errors | baseline | req/s | p50 ms | p99 ms "
        "| ratio | goal | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, base_name, ours, base, goal in http:
        ratio = ours["rps"] / base["rps"]
        met = "—" if goal is None else ("yes" if ratio >= goal and not ours["errors"] else "no")
        lines.append(
            f"| {name} | {ours['rps']:.0f} | {ours['p50']:.1f} | {ours['p99']:.1f} | "
            f"{ours['errors']} | {base_name} | {base['rps']:.0f} | {base['p50']:.1f} | "
            f"{base['p99']:.1f} | {ratio:.2f}x | {f'≥ {goal:.1f}x' if goal else '—'} | {met} |"
        )
    lines += [
        "",
        f"| PDF work (median of {args.pdf_runs}) | ms | baseline | ms | ratio | goal | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in pdf["rows"]:
        ratio = row["ms"] / row["base_ms"]
        lines.append(
            f"| {row['name']} | {row['ms']:.1f} | {row['base_name']} | {row['base_ms']:.1f} | "
            f"{ratio:.3f}x | {row['goal']} | {row['met']} |"
        )
    report = "\n".join(lines) + "\n"
    # The queue and load scenarios bring their own PostgreSQL database, Redis and processes.
    for scenario in (
        () if args.http_only else ("bulk_issue.py", "load_learners.py", "load_bookings.py")
    ):
        result = subprocess.run(
            [PYTHON, str(ROOT / "bench" / scenario)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        report += "\n" + (result.stdout or f"`bench/{scenario}` failed: see the console.\n")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{'http-' if args.http_only else ''}{datetime.now(UTC):%Y-%m-%d}.md"
    out.write_text(report)
    if not args.http_only:
        (RESULTS / "latest.md").write_text(report)
    print(report)
    print(f"written to {out}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
