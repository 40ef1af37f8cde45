"""Every public page passes axe-core's WCAG 2.1 A and AA rules, in Finnish and Swedish,
on a desktop and on a phone, where nothing may scroll sideways; nothing breaks the CSP.

Each test walks the whole public side once and reports every problem it saw, so one run
shows all that needs fixing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from hytu_events.extensions import db
from hytu_events.models import EventKind, EventStatus
from hytu_events.registrations.models import Language
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.tokens import self_service_url
from tests.browser.axe import describe, violations
from tests.browser.conftest import DESKTOP, PHONE
from tests.helpers import make_event, municipality, organisation

pytestmark = pytest.mark.browser

NOW = datetime.now(UTC).replace(microsecond=0)
NARROWEST = {"width": 320, "height": 640}


def make_events() -> dict[str, int]:
    """Events as the front page shows them: varied kinds, long names, one online, one past."""
    upcoming = make_event(
        kind=EventKind.MUNICIPAL_WORKSHOP,
        title="Kuntien työpaja: Itä-Lappi – hyvinvointikertomus ja turvallisuussuunnitelma",
        description="Työpaja kuntien HYTU-työryhmille.\n\nOta mukaan kuntasi hyvinvointikertomus.",
        municipalities=[municipality(slug) for slug in ("kemijarvi", "posio", "salla")],
        asks_for_needs=True,
    )
    make_event(
        kind=EventKind.VIRTUAL_COFFEE,
        title="Virtuaalikahvit: kylien turvallisuus",
        venue=None,
        online_url="https://teams.example.fi/l/meetup-join/kylat",
        online_url_public=True,
        capacity=None,
        starts_at=NOW + timedelta(days=3),
    )
    cancelled = make_event(
        title="HYTU-klinikka: Utsjoki",
        municipalities=[municipality("utsjoki")],
        status=EventStatus.CANCELLED,
        cancellation_reason="Klinikka siirtyy keväälle.",
        starts_at=NOW + timedelta(days=10),
    )
    past = make_event(
        title="HYTU-klinikka: Kittilä",
        municipalities=[municipality("kittila")],
        starts_at=NOW - timedelta(days=30),
    )
    ids = {"upcoming": upcoming.id, "cancelled": cancelled.id, "past": past.id}
    db.session.commit()
    return ids


def register_aino(event_id: int):
    """A participant with needs, so that every field of her pages has something to show."""
    return register(
        event_id,
        ParticipantDetails(
            name="Aino Aikio",
            email="aino.aikio@example.fi",
            organisation_id=organisation("lapin-pelastuslaitos").id,
            organisation_other=None,
            municipality_id=municipality("salla").id,
            job_title=None,
            needs="Gluteeniton ruokavalio",
            language=Language.FI,
        ),
    )


class Walk:
    """Visits pages and collects every accessibility problem found on them."""

    def __init__(self, page, language: str):
        self.page, self.language = page, language
        self.problems: list[str] = []
        # Inline styles or scripts that the Content-Security-Policy blocks are silently lost for
        # real readers too; Chromium reports them on the console.
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        self.check(path)

    def check(self, label: str) -> None:
        """The page as it is now, on a desktop and then on a phone."""
        page = self.page
        lang = page.locator("html").get_attribute("lang")
        assert lang == self.language, f"{label}: page language is {lang!r}"
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            if found := violations(page):
                self.problems.append(f"{label} on a {size} ({page.url}):\n{describe(found)}")
            self.check_no_sideways_scrolling(label)
        # WCAG 1.4.10 (reflow): content fits 320 CSS pixels, the narrowest phones.
        page.set_viewport_size(NARROWEST)
        self.check_no_sideways_scrolling(label)
        page.set_viewport_size(DESKTOP)

    def check_no_sideways_scrolling(self, label: str) -> None:
        scroll_width, width = self.page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > width:
            self.problems.append(f"{label}: scrolls sideways ({scroll_width}px wide in {width}px)")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_public_pages_have_no_wcag_violations(page, language):
    from hytu_events.plan.seed import seed_plan

    seed_plan()
    events = make_events()
    if language != "fi":
        page.goto(f"/?lang={language}")  # remembered for the rest of the visit
    walk = Walk(page, language)

    walk.visit("/")
    assert page.locator(".event-card").count() == 3
    walk.visit("/?when=past")
    assert page.locator(".event-card").count() == 1
    walk.visit(f"/events/{events['upcoming']}")
    walk.visit(f"/events/{events['cancelled']}")
    walk.visit(f"/events/{events['cancelled']}/register")
    walk.visit(f"/events/{events['past']}")
    walk.visit("/privacy")
    walk.visit("/accessibility")
    walk.visit("/summary")
    walk.visit("/no-such-page", status=404)
    walk.visit("/events/999999", status=404)

    walk.visit(f"/events/{events['upcoming']}/register")
    form = page.locator("form.form")
    form.locator("button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    walk.check("registration form with errors")

    page.locator("#name").fill("Aino Aikio")
    page.locator("#email").fill("aino.aikio@example.fi")
    page.locator("#organisation_other").fill("Sallan kunta")
    page.locator("#needs").fill("Gluteeniton ruokavalio")
    page.locator("#consent").check()
    form.locator("button[type=submit]").click()
    page.locator(".panel--success").wait_for()
    walk.check("confirmation page")

    assert not walk.problems, "\n\n".join(walk.problems)


def test_self_service_pages_have_no_wcag_violations(page):
    events = make_events()
    outcome = register_aino(events["upcoming"])
    own = urlsplit(self_service_url(outcome.registration)).path
    db.session.commit()
    walk = Walk(page, "fi")
    walk.visit(own)
    page.locator("#name").fill("")
    page.locator("form.form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    walk.check("own registration with errors")
    walk.visit(f"{own}/cancel")
    walk.visit(f"{own}/erase")
    walk.visit("/r/erased")
    walk.visit("/r/not-a-valid-link", status=404)

    walk.visit("/r/")
    page.locator("form.form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    walk.check("link request with errors")
    page.locator("#email").fill("aino.aikio@example.fi")
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert page.locator("#error-summary").count() == 0
    walk.check("link sent")

    assert not walk.problems, "\n\n".join(walk.problems)


def test_back_office_pages_have_no_wcag_violations(page):
    """The back office as an administrator sees it, in Finnish, on a desktop and a phone."""
    from hytu_events.accounts.models import Role
    from hytu_events.plan.models import Indicator, Measure
    from hytu_events.plan.queries import set_event_measures
    from hytu_events.plan.seed import seed_plan
    from tests.accounts.helpers import PASSWORD, make_user

    seed_plan()
    events = make_events()
    outcome = register_aino(events["upcoming"])
    user = make_user(Role.ADMIN)
    t1 = db.session.scalars(db.select(Measure).where(Measure.code == "T1")).one()
    indicator = db.session.scalars(db.select(Indicator).order_by(Indicator.id)).first()
    ids = (outcome.registration.id, t1.id, indicator.id)
    set_event_measures(events["upcoming"], [t1.id])  # so T1 cannot be deleted
    db.session.commit()

    page.goto("/login?lang=fi")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/**")
    walk = Walk(page, "fi")
    registration_id, measure_id, indicator_id = ids
    walk.visit(f"/admin/registrations/{registration_id}/edit")
    walk.visit(f"/admin/events/{events['upcoming']}/participants")
    walk.visit("/admin/plan")
    walk.visit(f"/admin/plan/measures/{measure_id}")
    page.fill("#title", "")
    page.locator("form.form button[type=submit]").first.click()
    page.locator("#error-summary").wait_for()
    walk.check("measure form with errors")
    walk.visit(f"/admin/plan/measures/{measure_id}/delete", status=409)
    walk.visit(f"/admin/plan/indicators/{indicator_id}")
    walk.visit(f"/admin/plan/indicators/{indicator_id}/values")
    walk.visit("/admin/plan/focus-areas/new")
    walk.visit("/admin/plan/edit")
    walk.visit("/admin/plan/import")
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
    page.locator("form.form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    walk.check("import with rejected rows")
    walk.visit("/admin/dashboard")
    walk.visit("/admin/report")
    walk.visit("/admin/plan/municipalities?municipality=1")
    walk.visit(f"/admin/events/{events['past']}/outcome")
    # The rest of the back office, on a phone too.
    upcoming = events["upcoming"]
    for path in (
        "/admin/",
        "/admin/events",
        "/admin/events?show=past",
        "/admin/events/new",
        f"/admin/events/{upcoming}",
        f"/admin/events/{upcoming}/edit",
        f"/admin/events/{upcoming}/cancel",
        f"/admin/events/{upcoming}/duplicate",
        f"/admin/events/{upcoming}/participants/new",
        f"/admin/events/{upcoming}/message",
        f"/admin/events/{upcoming}/measures",
        "/admin/exports",
        "/admin/follow-ups?show=all",
        "/admin/outbox",
        "/admin/users/",
        "/admin/users/new",
        "/account/password",
        "/account/calendar",
    ):
        walk.visit(path)
    assert not walk.problems, "\n\n".join(walk.problems)
