"""Browser fixtures: the app on a loopback port, driven by the system's Chromium via Playwright.

Playwright never downloads a browser here: it launches Debian's `chromium` through
`executable_path`. One browser serves the whole session; each test gets a fresh context (its
own cookies, locale and viewport), so tests stay independent and the suite stays quick.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import unavailable
from tests.live import serving

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

#: Where a failing test leaves a screenshot of the page it saw (gitignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if not found:
        unavailable("Chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev dependency
        unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def app_config() -> dict:
    """Rate limits have tests of their own; a browser audit posts the same forms many times."""
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's app on a free loopback port; yields the base URL."""
    with serving(app) as base_url:
        # Links in pages and mails (the self-service link) point where the app really is.
        app.config["BASE_URL"] = base_url
        yield base_url


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Remember each phase's outcome on the test, so the `page` fixture knows it failed.
    setattr(item, f"report_{report.when}", report)
    return report


def new_page(browser, viewport: dict, **context_options):
    """A page in a fresh context; the caller closes the context."""
    context = browser.new_context(locale="fi-FI", viewport=viewport, **context_options)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser, live_server: str, request):
    """A fresh desktop-size page, Finnish browser; a screenshot in test-artifacts/ on failure."""
    page = new_page(browser, DESKTOP, base_url=live_server)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as error:  # a missing screenshot must not hide the failure
            print(f"screenshot failed: {error}")
    page.context.close()
