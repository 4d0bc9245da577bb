"""Real-browser tests: Playwright drives Debian's Chromium against a live server started here.

Skipped, with the reason in the test summary, where Chromium or Playwright is missing. Screenshots of
each journey's key screens go to tests/e2e/screenshots/ (named in the README).
"""

import json
import os
import shutil
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


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls these tests make
    # to set up data are still synchronous and safe, so Django's async guard is relaxed while a
    # browser is open, and only then (child processes of other tests must not inherit it).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
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
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _new_page(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser, live_server, home_page):
    context, page = _new_page(browser, live_server, DESKTOP)
    yield page
    context.close()
    assert page.js_errors == [], page.js_errors


@pytest.fixture
def phone_page(browser, live_server, home_page):
    context, page = _new_page(browser, live_server, PHONE)
    yield page
    context.close()
    assert page.js_errors == [], page.js_errors


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


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
