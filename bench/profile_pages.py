"""CPU per request in one process: the module page, the bare Wagtail page and the verification page.

    .venv/bin/python bench/profile_pages.py [--rounds 300] [--site DIR]

Builds the same throw-away SQLite site as bench/run.py (or reuses the one in DIR, left by an
earlier run of this script), then, in this one process and through Django's WSGI handler: times
the three pages interleaved (CPU time, so other load on the machine matters less than for wrk),
lists the module page's queries, and profiles the module page with cProfile. Writes
bench/results/profile-module-page.txt. Nothing here is a pass/fail test.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import manage  # noqa: E402

OUT = ROOT / "bench" / "results" / "profile-module-page.txt"


def build_site(site):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "SQLITE_PATH": str(site / "bench.sqlite3"),
        "MEDIA_ROOT": str(site / "media"),
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
    }
    if not (site / "bench.sqlite3").exists():
        print(f"profile: building a site in {site}")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
    setup = json.loads(manage(env, "bench_setup").strip().splitlines()[-1])
    os.environ.update(env)
    return setup


def make_client(cookie):
    """A function that serves one GET through Django's WSGI handler and returns the response."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def get(path, with_cookie):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        if with_cookie:
            environ["HTTP_COOKIE"] = cookie
        statuses = []
        body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        try:
            b"".join(body)
        finally:
            body.close()
        if not statuses[0].startswith("200"):
            sys.exit(f"{path} answered {statuses[0]}")

    return get


def short(path):
    """A profile's file name without the virtualenv or repository prefix."""
    for marker in ("site-packages/", f"{ROOT}/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300, help="requests per page")
    parser.add_argument("--site", type=Path, help="directory of a site built by this script")
    args = parser.parse_args()

    site = args.site or Path(tempfile.mkdtemp(prefix="peerpath-profile-"))
    site.mkdir(parents=True, exist_ok=True)
    setup = build_site(site)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get = make_client(setup["cookie"])
    pages = [
        ("bare", setup["bare_url"], False),
        ("module", setup["module_url"], True),
        ("verify", setup["verify_url"], False),
    ]
    for _name, url, with_cookie in pages:
        for _ in range(3):
            get(url, with_cookie)

    times = {name: [] for name, _url, _cookie in pages}
    for _ in range(args.rounds):
        for name, url, with_cookie in pages:
            start = time.process_time()
            get(url, with_cookie)
            times[name].append((time.process_time() - start) * 1000)
    bare = statistics.median(times["bare"])
    timing = [
        "CPU per request, one process, the three pages interleaved "
        "(ratio: bare page time / this page time):"
    ]
    for name, values in times.items():
        median = statistics.median(values)
        timing.append(
            f"{name:<8} min {min(values):6.2f} ms  median {median:6.2f} ms  "
            f"bare/this (median) {bare / median:5.2f}x"
        )

    with CaptureQueriesContext(connection) as captured:
        get(setup["module_url"], True)
    queries = [f"module queries: {len(captured)}"]
    queries += [f"   {query['sql'][:200]}" for query in captured]

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(args.rounds):
        get(setup["module_url"], True)
    profiler.disable()
    elapsed = (time.perf_counter() - start) * 1000 / args.rounds
    stats = pstats.Stats(profiler, stream=io.StringIO())
    stats.sort_stats("cumulative")
    rows = [f"ms/request under the profiler: {elapsed:.2f}"]
    rows.append("   ncalls  tottime  cumtime  ms/call  function")
    listed = 0
    for func in stats.fcn_list:
        filename, line, function = func
        if (
            "peerpath" not in filename
            and ROOT.name not in filename
            and "site-packages" not in filename
        ):
            continue
        primitive, calls, tottime, cumtime, _callers = stats.stats[func]
        rows.append(
            f"{calls:9d} {tottime:8.3f} {cumtime:8.3f} {cumtime / calls * 1000:8.3f}  "
            f"{short(filename)}:{line}({function})"
        )
        listed += 1
        if listed == 60:
            break

    report = "\n".join(
        [
            "# Enrolled learner's module page: where the time goes",
            "",
            f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by "
            f"`.venv/bin/python bench/profile_pages.py --rounds {args.rounds}`: "
            f"{args.rounds} requests per page through Django's WSGI handler in one process "
            "(bench settings, SQLite, warm caches; the pages and learner of bench/run.py).",
            "",
            *timing,
            "",
            *queries,
            "",
            *rows,
        ]
    )
    OUT.write_text(report + "\n")
    print(report)
    print(f"written to {OUT} (site kept in {site})")


if __name__ == "__main__":
    main()
