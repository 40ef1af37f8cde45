"""Every HTML page of the app passes axe-core's WCAG 2.1 A and AA rules, in Finnish, Swedish and
English, on a desktop (1,280 px) and on the narrowest phone (320 px), where nothing may scroll
sideways; in Finnish no table or form is wider than its box at 1,280 and 375 px, nor printed on
A4; nothing breaks the Content-Security-Policy.

The walk reads the pages from the URL map, as tests/test_authorisation.py does: every GET rule is
opened with rows of the demo data (`flask seed --demo`, plus a registration, a user to edit and
plan rows nothing depends on). Back-office pages are opened logged in as an administrator,
`/r/<token>` pages with a real self-service link. What is not HTML (feeds, downloads, static files)
is told apart by its Content-Type. So a new page is audited without editing this file; a URL
argument that `make_demo` has no row for fails the walk with a message saying where to add one.

Pages that only show after something was done (a form sent with errors, a registration made, a
row in use) are `PUBLIC_STATES` and `BACK_OFFICE_STATES`. One browser page walks everything and
the test reports every problem it saw, so one run shows all that needs fixing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask import Flask

from tests.accounts.helpers import PASSWORD
from tests.browser.axe import describe, violations
from tests.browser.conftest import DESKTOP
from tests.demo_pages import (
    OTHER_ROWS,
    Demo,
    make_demo,
    more_back_office_urls,
    more_public_urls,
    page_urls,
)

pytestmark = [
    pytest.mark.browser,
    # The pages are the same on either database; the walk is long enough once.
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

LANGUAGES = ("fi", "sv", "en")
#: WCAG 1.4.10 (reflow): content fits 320 CSS pixels, the narrowest phones.
PHONE = {"width": 320, "height": 640}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
#: Where tables and forms must fit their own box (in Finnish, the longest words): a laptop and
#: a common phone. Wider than its box means hidden columns or a box that scrolls sideways.
FITTING = {"laptop": DESKTOP, "phone of 375 px": {"width": 375, "height": 812}}
#: A4 portrait as Chromium prints it: 210 mm less its default margins of 0.4 in, at 96 px/in.
A4 = {"width": 718, "height": 1047}
TOO_WIDE = """() => Array.from(document.querySelectorAll('main table, main form'))
  .map(el => [el, el.getBoundingClientRect().width, el.parentElement.clientWidth])
  .filter(([el, width, room]) => width > room + 1)
  .map(([el, width, room]) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
    `.${el.className}: ${Math.round(width)} px in ${room}`)"""

#: GET pages that redirect unless a form was sent first, with the state that shows each.
AFTER_A_FORM = {
    "registrations.registered": "registration_confirmed",
    "series.registered": "series_registration_confirmed",
}


@pytest.fixture
def app_config() -> dict:
    # The walk sends the same forms in three languages; the limits have tests of their own.
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def demo(app: Flask) -> Demo:
    return make_demo(app)


@dataclass
class Walk:
    """One browser page that visits pages and collects every problem found on them."""

    page: object
    language: str = "fi"
    problems: list[str] = field(default_factory=list)
    audits: int = 0
    #: The media type each walked URL answers (None: no page to audit).
    kinds: dict[str, str | None] = field(default_factory=dict)
    #: Endpoints left alone for not answering HTML, with what they answer.
    not_html: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        # Inline styles or scripts that the Content-Security-Policy blocks are silently lost for
        # real readers too; Chromium reports them on the console.
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def speak(self, language: str) -> None:
        """Switch the visit to `language` (remembered in the session)."""
        self.language = language
        self.page.request.get(f"/privacy?lang={language}")

    def walk(self, endpoint: str, url: str) -> None:
        """Audit the page at `url` if it is HTML; anything else is noted and left alone."""
        if url not in self.kinds:
            self.kinds[url] = self.kind_of(endpoint, url)
        if self.kinds[url] == "text/html":
            self.visit(url)

    def kind_of(self, endpoint: str, url: str) -> str | None:
        """What `url` answers: its media type, or None when there is no page to audit."""
        answer = self.page.request.get(url, max_redirects=0)
        if 300 <= answer.status < 400:
            if endpoint not in AFTER_A_FORM:
                self.problems.append(
                    f"GET {url} ({endpoint}) redirects to {answer.headers.get('location')}: "
                    "give it a row that shows a page (OTHER_ROWS), or name it in AFTER_A_FORM "
                    "with the state that shows it"
                )
            return None
        if answer.status != 200:
            self.problems.append(
                f"GET {url} ({endpoint}): HTTP {answer.status}, expected 200 for demo rows "
                "(OTHER_ROWS gives a page another row)"
            )
            return None
        kind = answer.headers.get("content-type", "").split(";")[0].strip()
        if kind != "text/html":
            self.not_html[endpoint] = kind
        return kind

    def visit(self, url: str, status: int = 200) -> None:
        response = self.page.goto(url)
        if response.status != status:
            self.problems.append(f"{url}: HTTP {response.status}, expected {status}")
        self.check(url)

    def check(self, label: str) -> None:
        """The page as it is now, on a desktop and on a phone."""
        page = self.page
        lang = page.locator("html").get_attribute("lang")
        if lang != self.language:
            self.problems.append(f"{label}: page language is {lang!r}, not {self.language!r}")
        for size, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            self.audits += 1
            if found := violations(page):
                self.problems.append(
                    f"{label} in {self.language} on a {size} ({page.url}):\n{describe(found)}"
                )
            scroll_width, width = page.evaluate(
                "[document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            if scroll_width > width:
                self.problems.append(
                    f"{label} in {self.language} on a {size}: scrolls sideways "
                    f"({scroll_width}px wide in {width}px)"
                )
        if self.language == "fi":
            for size, viewport in FITTING.items():
                page.set_viewport_size(viewport)
                if wide := page.evaluate(TOO_WIDE):
                    self.problems.append(
                        f"{label} on a {size}: wider than its box: " + "; ".join(wide)
                    )
            self.check_print(label)
        page.set_viewport_size(DESKTOP)

    def check_print(self, label: str) -> None:
        """Printed on A4 (the report is made for it): nothing is cut at the right edge."""
        page = self.page
        page.emulate_media(media="print")
        page.set_viewport_size(A4)
        try:
            scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
            wide = page.evaluate(TOO_WIDE)
        finally:
            page.emulate_media(media="screen")
        if scroll_width > A4["width"] or wide:
            self.problems.append(
                f"{label} printed on A4: {scroll_width} px in {A4['width']}; " + "; ".join(wide)
            )

    def send_empty(self, url: str, label: str) -> None:
        """The form at `url` sent as it is, checked with its errors shown."""
        self.page.goto(url)
        self.submit()
        self.page.locator("#error-summary").wait_for()
        self.check(label)

    def submit(self) -> None:
        with self.page.expect_navigation():
            self.page.locator("main form.form button[type=submit]").first.click()


# States: pages that show only after something was done, checked in every language.


def registration_with_errors(walk: Walk, demo: Demo) -> None:
    walk.send_empty(f"/events/{demo.rows['event_id']}/register", "registration form with errors")


def registration_confirmed(walk: Walk, demo: Demo) -> None:
    page = walk.page
    page.goto(f"/events/{demo.rows['event_id']}/register")
    page.locator("#name").fill("Eero Ylitalo")
    page.locator("#email").fill(f"eero.ylitalo.{walk.language}@example.fi")
    page.locator("#organisation_other").fill("Pellon kunta")
    page.locator("#needs").fill("Pyörätuoli")
    page.locator("#consent").check()
    walk.submit()
    page.locator(".panel--success").wait_for()
    walk.check("registration confirmed")


def series_registration_with_errors(walk: Walk, demo: Demo) -> None:
    walk.send_empty(f"/series/{demo.rows['series_id']}", "series registration with errors")


def series_registration_confirmed(walk: Walk, demo: Demo) -> None:
    page = walk.page
    page.goto(f"/series/{demo.rows['series_id']}")
    page.locator("#which-1").check()
    page.locator("#dates-0").check()
    page.locator("#dates-2").check()
    page.locator("#name").fill("Hanna Kangas")
    page.locator("#email").fill(f"hanna.kangas.{walk.language}@example.fi")
    page.locator("#organisation_other").fill("Kolarin kunta")
    page.locator("#consent").check()
    walk.submit()
    page.locator(".panel--success").wait_for()
    walk.check("series registration confirmed")


def own_series_dates(walk: Walk, demo: Demo) -> None:
    walk.visit(demo.series_place_path)


def login_with_errors(walk: Walk, demo: Demo) -> None:
    walk.send_empty("/login", "login form with errors")


def own_registration_with_errors(walk: Walk, demo: Demo) -> None:
    walk.page.goto(demo.self_service_path)
    walk.page.locator("#name").fill("")
    walk.submit()
    walk.page.locator("#error-summary").wait_for()
    walk.check("own registration with errors")


def link_request_with_errors(walk: Walk, demo: Demo) -> None:
    walk.send_empty("/r/", "link request with errors")


def link_sent(walk: Walk, demo: Demo) -> None:
    walk.page.goto("/r/")
    walk.page.locator("#email").fill("aino.aikio@example.fi")
    walk.submit()
    walk.check("link sent")


def feedback_with_errors(walk: Walk, demo: Demo) -> None:
    """The feedback form sent without its answers (so the link still opens the form in the
    next language): the summary names the fieldsets."""
    walk.send_empty(f"/feedback/{demo.secrets['feedback']}", "feedback form with errors")


def other_public_pages(walk: Walk, demo: Demo) -> None:
    for url, status in more_public_urls(demo):
        walk.visit(url, status=status)


PUBLIC_STATES: list[Callable[[Walk, Demo], None]] = [
    registration_with_errors,
    registration_confirmed,
    series_registration_with_errors,
    series_registration_confirmed,
    own_series_dates,
    login_with_errors,
    own_registration_with_errors,
    link_request_with_errors,
    link_sent,
    feedback_with_errors,
    other_public_pages,
]


def new_event_with_errors(walk: Walk, demo: Demo) -> None:
    walk.send_empty("/admin/events/new", "new event with errors")


def new_series_with_errors(walk: Walk, demo: Demo) -> None:
    """Repeating on a Monday from a Thursday, with no end: the repeat fields' errors."""
    page = walk.page
    page.goto("/admin/events/new")
    page.fill("#title", "Virtuaalikahvit")
    page.fill("#starts_at", "2027-03-11T09:00")
    page.fill("#ends_at", "2027-03-11T09:30")
    page.fill("#online_url", "https://teams.example.fi/kahvit")
    page.check("#repeats-1")
    page.check("#weekdays-0")
    walk.submit()
    page.locator("#error-summary").wait_for()
    walk.check("new series with errors")


def series_pages_with_errors(walk: Walk, demo: Demo) -> None:
    page = walk.page
    page.goto(f"/admin/series/{demo.rows['series_id']}/dates/{demo.rows['series_date_id']}/edit")
    page.check("#scope-2")
    page.fill("#title", "")
    walk.submit()
    page.locator("#error-summary").wait_for()
    walk.check("a date of a series with errors")
    page.goto(f"/admin/series/{demo.rows['series_id']}/end")
    page.fill("#number_of_dates", "")
    walk.submit()
    page.locator("#error-summary").wait_for()
    walk.check("the end of a series with errors")


def measure_with_errors(walk: Walk, demo: Demo) -> None:
    walk.page.goto(f"/admin/plan/measures/{demo.rows['measure_id']}")
    walk.page.fill("#title", "")
    walk.submit()
    walk.page.locator("#error-summary").wait_for()
    walk.check("measure form with errors")


def import_with_rejected_rows(walk: Walk, demo: Demo) -> None:
    page = walk.page
    page.goto("/admin/plan/import")
    page.set_input_files(
        "#file",
        files=[
            {
                "name": "luvut.csv",
                "mimeType": "text/csv",
                "buffer": b"indicator;municipality;year;value\nno-such;inari;2024;1\n",
            }
        ],
    )
    walk.submit()
    page.locator("#error-summary").wait_for()
    walk.check("import with rejected rows")


def other_back_office_pages(walk: Walk, demo: Demo) -> None:
    for url, status in more_back_office_urls(demo):
        walk.visit(url, status=status)


BACK_OFFICE_STATES: list[Callable[[Walk, Demo], None]] = [
    new_event_with_errors,
    new_series_with_errors,
    series_pages_with_errors,
    measure_with_errors,
    import_with_rejected_rows,
    other_back_office_pages,
]


def test_every_page_has_no_wcag_violations(app, demo, page, capsys):
    started = time.monotonic()
    stale = (OTHER_ROWS.keys() | AFTER_A_FORM.keys()) - app.view_functions.keys()
    assert not stale, f"OTHER_ROWS or AFTER_A_FORM name endpoints the app has not: {stale}"
    walk, endpoints = Walk(page), set()
    for back_office, states in ((False, PUBLIC_STATES), (True, BACK_OFFICE_STATES)):
        if back_office:
            page.goto("/login")
            page.fill("#email", demo.admin_email)
            page.fill("#password", PASSWORD)
            page.locator("main form.form button[type=submit]").click()
            page.wait_for_url("**/admin/**")
        urls = page_urls(app, demo, back_office)
        endpoints |= {endpoint for endpoint, url in urls}
        for language in LANGUAGES:
            walk.speak(language)
            for endpoint, url in urls:
                walk.walk(endpoint, url)
            for state in states:
                state(walk, demo)
    assert not walk.problems, "\n\n".join(walk.problems)
    with capsys.disabled():
        pages = walk.audits // (len(LANGUAGES) * len(WIDTHS))
        print(
            f"\naxe walk: {len(endpoints)} GET endpoints ({len(walk.not_html)} not HTML: "
            f"{', '.join(sorted(walk.not_html))}); {pages} pages x {len(LANGUAGES)} languages x "
            f"{len(WIDTHS)} widths = {walk.audits} audits in {time.monotonic() - started:.0f} s"
        )
