"""Fixtures for browser tests: the app on a real socket, driven by Debian's Chromium.

Playwright never downloads a browser here: it launches the system `chromium`. Without it these
tests skip locally with the reason and fail in CI (see `tests.conftest.unavailable`).
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

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox",  # containers and CI run as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",  # no calls home while tests run
    "--disable-dev-shm-usage",  # small /dev/shm in containers crashes tabs otherwise
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        unavailable("Chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's `app` served on a free loopback port; yields the base URL.

    Each request runs in its own thread and context, so it sees only what the test committed.
    """
    with serving(app) as base_url:
        yield base_url


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Remember each phase's outcome on the test item, so `page` can see if the test failed.
    setattr(item, f"report_{report.when}", report)
    return report


def new_page(browser, base_url: str, viewport: dict | None = None):
    """A fresh context and page, as a Finnish reader on a desktop unless told otherwise."""
    context = browser.new_context(base_url=base_url, locale="fi-FI", viewport=viewport or DESKTOP)
    # Generous: a loaded CI machine is slow; a real hang still fails, just later.
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(30_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server: str, request):
    context, page = new_page(browser, live_server)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as error:  # a failed screenshot must not hide the failure
            print(f"Could not save a screenshot: {error}")
    context.close()
