"""Real-browser tests: Playwright drives Debian's Chromium against a live server started here.

The server is the demo site itself (migrate + load_demo), run by gunicorn in its own process on a
fresh copy of a SQLite file for every test, exactly as people would use it. Tests read what a
journey recorded through `live_site.shell(...)`; they never share the test runner's database.

Skipped, with the reason in the test summary, where Chromium or Playwright is missing. Screenshots of
each journey's key screens go to tests/e2e/screenshots/ (named in the README).
"""

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(__file__).parent / "screenshots"
AXE_REPORT = SCREENSHOTS / "axe-minor-findings.json"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

try:
    import playwright.sync_api  # noqa: F401

    PLAYWRIGHT = True
except ImportError:
    PLAYWRIGHT = False


def pytest_collection_modifyitems(config, items):
    reason = None
    if not PLAYWRIGHT:
        reason = "browser tests skipped: Playwright is not installed (pip install -e '.[dev]')"
    elif not CHROMIUM:
        reason = "browser tests skipped: no chromium on PATH (apt-get install chromium)"
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


ROOT = Path(__file__).resolve().parents[2]


def _env(db_path, base_url="http://127.0.0.1"):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "TASKS_BACKEND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.e2e",
        SQLITE_PATH=str(db_path),
        MEDIA_ROOT=str(db_path.parent / "media"),
        # The Open Badges signing key the demo makes, beside the database (not in the checkout).
        PEERPATH_ISSUER_KEYS_DIR=str(db_path.parent / "issuer-keys"),
        # The site's public address: verification links and QR codes must reach this server.
        WAGTAILADMIN_BASE_URL=base_url,
    )
    return env


def manage(db_path, *args, base_url="http://127.0.0.1"):
    """Run a management command against the live site's database; returns its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(db_path, base_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory, worker_id):
    """A migrated database with the demo content, built once per run and copied for every test.

    Under pytest-xdist the first worker to get here builds it in the run's shared temporary folder
    while the others wait on a file lock, so the minute it takes is spent once, not per worker.
    E2E_DEMO_DATABASE=/path/demo.sqlite3 reuses one built earlier (its media/, private-media/ and
    issuer-keys/ folders beside it),
    to save minutes while writing a journey; leave it unset to test the current code.
    """
    if os.environ.get("E2E_DEMO_DATABASE"):
        return Path(os.environ["E2E_DEMO_DATABASE"])
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    folder = root / "e2e-template"
    path = folder / "demo.sqlite3"
    with (root / "e2e-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "ready").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            manage(path, "migrate", "--noinput")
            manage(path, "load_demo")
            (folder / "ready").touch()
    return path


class LiveSite:
    """The demo site served by gunicorn on a free loopback port, on its own copy of the database."""

    def __init__(self, workdir, template):
        self.db_path = workdir / "site.sqlite3"
        shutil.copy(template, self.db_path)
        # Public renditions in media/, documents and certificate PDFs in private-media/ beside it.
        for folder in ("media", "private-media", "issuer-keys"):
            if (template.parent / folder).exists():
                shutil.copytree(template.parent / folder, workdir / folder)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = workdir / "gunicorn.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=_env(self.db_path, self.url),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90  # a busy CI machine can be slow
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        log = self.log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"the live site did not start; gunicorn said:\n{log}")

    def manage(self, *args):
        return manage(self.db_path, *args, base_url=self.url)

    def shell(self, code):
        """Run Python against the site's database (e.g. to check what a journey recorded)."""
        return self.manage("shell", "-c", code).strip()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def live_site(tmp_path, demo_database):
    site = LiveSite(tmp_path, demo_database)
    yield site
    site.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _new_page(browser, live_site, viewport):
    context = browser.new_context(base_url=live_site.url, viewport=viewport, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser, live_site):
    context, page = _new_page(browser, live_site, DESKTOP)
    yield page
    context.close()
    assert page.js_errors == [], page.js_errors


@pytest.fixture
def phone_page(browser, live_site):
    context, page = _new_page(browser, live_site, PHONE)
    yield page
    context.close()
    assert page.js_errors == [], page.js_errors


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    # caret="initial": hiding the text caret makes Playwright inject an inline style, which the
    # site's CSP refuses (and the page fixture reports) whenever a field has the focus.
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, caret="initial")


def assert_accessible(page, name):
    """Run axe-core (WCAG 2.1 A/AA rules); fail on serious or critical violations, log the rest."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in {"serious", "critical"}]
    minor = [
        {"page": name, "url": page.url, "rule": v["id"], "impact": v.get("impact")}
        for v in violations
        if v not in blocking
    ]
    if minor:
        SCREENSHOTS.mkdir(exist_ok=True)
        existing = json.loads(AXE_REPORT.read_text()) if AXE_REPORT.exists() else []
        AXE_REPORT.write_text(json.dumps(existing + minor, indent=2))
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in blocking
    ]
    assert not blocking, f"axe on {name} ({page.url}):\n" + "\n".join(summary)
