"""Every HTML page of the app passes axe-core's WCAG 2.1 A and AA rules, in Finnish, Swedish and
English, on a desktop (1,280 px) and on the narrowest phone (320 px), where nothing may scroll
sideways; in Finnish no table or form is wider than its box at 1,280 and 375 px; nothing breaks
the Content-Security-Policy.

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

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from werkzeug.routing import AnyConverter, Rule

from hytu_events.accounts.models import Role
from hytu_events.cli import seed_demo_events
from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.feed_tokens.tokens import participant_feed_token
from hytu_events.models import Event, OutboxMessage
from hytu_events.outcomes.demo import link_demo_events, record_demo_outcomes
from hytu_events.outcomes.models import FollowUp, Outcome
from hytu_events.plan import editing
from hytu_events.plan.models import (
    FocusArea,
    FocusAreaKind,
    Indicator,
    IndicatorValue,
    Measure,
    Plan,
)
from hytu_events.plan.seed import seed_plan
from hytu_events.registrations.models import Language, Registration
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.tokens import self_service_token, self_service_url
from hytu_events.series.demo import demo_series
from hytu_events.series.demo_registrations import WHOLE_SERIES
from hytu_events.series.operations import create_series
from tests.accounts.helpers import PASSWORD, make_user
from tests.browser.axe import describe, violations
from tests.browser.conftest import DESKTOP
from tests.helpers import municipality, organisation
from tests.series.helpers import coffee_details, every_other_thursday
from tests.test_authorisation import AUDIENCES, TokenHolder

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
TOO_WIDE = """() => Array.from(document.querySelectorAll('main table, main form'))
  .map(el => [el, el.getBoundingClientRect().width, el.parentElement.clientWidth])
  .filter(([el, width, room]) => width > room + 1)
  .map(([el, width, room]) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
    `.${el.className}: ${Math.round(width)} px in ${room}`)"""

#: Pages that show more with another row than the usual one of their URL argument.
OTHER_ROWS = {
    # The preview is for drafts: their public page does not exist yet.
    "catalogue_admin.preview": {"event_id": "draft_event_id"},
    # An event that has happened, with its outcome recorded.
    "outcomes.outcome": {"event_id": "past_event_id"},
    # Rows nothing depends on, so that the confirmation shows (the refusal is a state below).
    "plan_edit.delete_focus_area": {"focus_area_id": "spare_focus_area_id"},
    "plan_edit.delete_measure": {"measure_id": "spare_measure_id"},
    "plan_edit.delete_indicator": {"indicator_id": "spare_indicator_id"},
    # A date's edit within its series.
    "series_admin.edit_date": {"event_id": "series_date_id"},
}

#: GET pages that redirect unless a form was sent first, with the state that shows each.
AFTER_A_FORM = {
    "registrations.registered": "registration_confirmed",
    "series.registered": "series_registration_confirmed",
}


@pytest.fixture
def app_config() -> dict:
    # The walk sends the same forms in three languages; the limits have tests of their own.
    return {"RATELIMIT_ENABLED": False}


@dataclass
class Demo:
    admin_email: str
    #: Values of URL arguments by name, and the other rows of `OTHER_ROWS`.
    rows: dict[str, object]
    #: The secret of each kind of `TokenHolder` (tests/test_authorisation.py).
    secrets: dict[str, str]
    self_service_path: str
    #: The own page of a place at a date of a series (it lists every date).
    series_place_path: str


@pytest.fixture
def demo(app: Flask) -> Demo:
    return make_demo(app)


def make_demo(app: Flask) -> Demo:
    """`flask seed --demo`, a registration with needs (so an email in the outbox and a
    self-service link), a user to edit, and plan rows that can be deleted."""
    zone = ZoneInfo(app.config["HYTU_TIMEZONE"])
    seed_plan()
    seed_demo_events(zone, utcnow())
    link_demo_events()
    record_demo_outcomes(utcnow(), zone)
    db.session.commit()

    def demo_event(key: str) -> Event:
        uid = f"demo-{key}@hytu-events"
        return db.session.scalars(sa.select(Event).where(Event.calendar_uid == uid)).one()

    upcoming = demo_event("clinic-pello")  # published, open, with participants and measures
    series = demo_series()  # every other Thursday, a date cancelled and one moved
    registration = register(
        upcoming.id,
        ParticipantDetails(
            name="Aino Aikio",
            email="aino.aikio@example.fi",
            organisation_id=organisation("lapin-pelastuslaitos").id,
            organisation_other=None,
            municipality_id=municipality("pello").id,
            job_title="HYTE-koordinaattori",
            needs="Gluteeniton ruokavalio",
            language=Language.FI,
        ),
    ).registration
    db.session.commit()
    admin = make_user(Role.ADMIN, name="Aila Admin")
    other = make_user(Role.COORDINATOR, email="kalle.koordinaattori@example.fi", name="Kalle K")
    # The demo's people registered for the demo series (seed --demo does it).
    series_place = db.session.scalars(
        sa.select(Registration)
        .where(Registration.email == WHOLE_SERIES[0][1])
        .order_by(Registration.id)
    ).first()

    plan = db.session.scalars(sa.select(Plan)).first()
    spare_area = FocusArea(
        plan=plan,
        kind=FocusAreaKind.SAFETY_THEME,
        code="S99",
        name_fi="Kokeiluteema",
        name_sv="Försökstema",
        name_en="Trial theme",
        position=99,
    )
    spare_measure = Measure(
        plan=plan, code="T99", title="Kokeilutoimenpide", start_year=2026, end_year=2027
    )
    db.session.add_all([spare_area, spare_measure])
    db.session.flush()
    spare_indicator = next(
        indicator
        for indicator in db.session.scalars(sa.select(Indicator).order_by(Indicator.id))
        if editing.why_not_delete_indicator(indicator) is None
    )
    value = db.session.scalars(sa.select(IndicatorValue).order_by(IndicatorValue.id)).first()

    def first(model, *where) -> int:
        return db.session.scalars(sa.select(model.id).where(*where).order_by(model.id)).first()

    rows = {
        "event_id": upcoming.id,
        "registration_id": registration.id,
        "user_id": other.id,
        "message_id": first(OutboxMessage, OutboxMessage.registration_id == registration.id),
        # In use: its edit page shows what depends on it.
        "focus_area_id": first(FocusArea),
        "measure_id": first(Measure, Measure.code == "T1"),
        "indicator_id": value.indicator_id,
        "value_id": value.id,
        "follow_up_id": first(FollowUp),
        "filename": "css/site.css",
        "draft_event_id": demo_event("draft-directors").id,
        "past_event_id": demo_event("clinic-kemijarvi").id,
        "cancelled_event_id": demo_event("clinic-savukoski-cancelled").id,
        "spare_focus_area_id": spare_area.id,
        "spare_measure_id": spare_measure.id,
        "spare_indicator_id": spare_indicator.id,
        "series_id": series.id,
        "series_date_id": next(e.id for e in series.dates if e.status.value == "published"),
    }
    secrets = {
        "registration": self_service_token(registration),
        "feed": participant_feed_token(registration.email),
        "series place": self_service_token(series_place),
    }
    rows["held_series_id"] = _held_series(zone).id
    path = urlsplit(self_service_url(registration)).path
    series_path = urlsplit(self_service_url(series_place)).path
    db.session.commit()
    return Demo(admin.email, rows, secrets, path, series_path)


def _held_series(zone: ZoneInfo):
    """Three dates every other Thursday that have all been held, with their attendance (the
    series page's chart and table)."""
    today = utcnow().astimezone(zone).date() - timedelta(weeks=8)
    first = today - timedelta(days=(today.weekday() - 3) % 7)
    series = create_series(
        coffee_details(datetime.combine(first, clock(9, 0))),
        every_other_thursday(3, first_date=first),
        None,
        publish=True,
    )
    for event, people in zip(series.dates, (6, 9, 4), strict=True):
        db.session.add(Outcome(event_id=event.id, manual_attendance=people))
    return series


def url_values(rule: Rule, demo: Demo) -> list[dict]:
    """Every combination of values for the rule's URL arguments (each choice of an `any`)."""
    other = OTHER_ROWS.get(rule.endpoint, {})
    choices = {}
    for name, converter in rule._converters.items():
        if name == "token":
            audience = AUDIENCES.get(rule.endpoint)
            if not isinstance(audience, TokenHolder):
                pytest.fail(
                    f"{rule.endpoint} ({rule.rule}): which secret opens <token>? Name it in "
                    "AUDIENCES (tests/test_authorisation.py).",
                    pytrace=False,
                )
            choices[name] = [demo.secrets[audience.secret]]
        elif name in demo.rows:
            choices[name] = [demo.rows[other.get(name, name)]]
        elif isinstance(converter, AnyConverter):
            choices[name] = sorted(converter.items)
        else:
            pytest.fail(
                f"{rule.endpoint} ({rule.rule}): no value for <{name}> "
                f"({type(converter).__name__}) to audit the page with. Add a demo row's id to "
                "the `rows` of `make_demo` in tests/browser/test_accessibility.py.",
                pytrace=False,
            )
    names = list(choices)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices.values())]


def page_urls(app: Flask, demo: Demo, back_office: bool) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET rule, of the back office or of the public side."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods:
            continue
        guarded = getattr(app.view_functions[rule.endpoint], "required_role", None) is not None
        if guarded is not back_office:
            continue
        for values in url_values(rule, demo):
            with app.test_request_context():
                urls.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return urls


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
        page.set_viewport_size(DESKTOP)

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


def other_public_pages(walk: Walk, demo: Demo) -> None:
    rows = demo.rows
    walk.visit("/?when=past")
    walk.visit(f"/events/{rows['past_event_id']}")
    walk.visit(f"/events/{rows['cancelled_event_id']}")
    walk.visit(f"/events/{rows['cancelled_event_id']}/register")  # closed
    walk.visit("/embed/events?municipality=pello&kind=hytu_clinic")  # a municipality's own list
    walk.visit("/no-such-page", status=404)


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
    rows = demo.rows
    walk.visit(f"/admin/plan/measures/{rows['measure_id']}/delete", status=409)  # in use
    walk.visit(f"/admin/series/{rows['held_series_id']}")  # attendance: a chart, a table
    walk.visit(f"/admin/events/{rows['draft_event_id']}")
    walk.visit(f"/admin/events/{rows['past_event_id']}")
    walk.visit("/admin/events?show=past")
    walk.visit("/admin/events?show=drafts")
    walk.visit("/admin/follow-ups?show=all")
    walk.visit(f"/admin/plan/municipalities?municipality={municipality('pello').id}")
    walk.visit("/admin/report?sub_region=kemi-tornio")


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
