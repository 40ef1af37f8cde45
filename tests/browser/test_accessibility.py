"""axe-core finds no WCAG 2.1 A/AA violation on any public page, in Finnish and Swedish, on a
desktop and on a phone; the phone never scrolls sideways; the keyboard reaches everything.

Every public page added later belongs in `public_pages` below.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from hytu_events.extensions import db
from hytu_events.models import EventStatus, Language
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.tokens import self_service_token
from tests.browser.axe import assert_accessible, describe, violations
from tests.browser.conftest import DESKTOP, PHONE
from tests.helpers import make_event, municipality, organisation

pytestmark = pytest.mark.browser


def submit(page) -> None:
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def public_pages(page) -> Iterator[str]:
    """Opens each public page in turn (states included) and yields a label for it."""
    now = datetime.now(UTC).replace(microsecond=0)
    event = make_event(
        title="HYTU-klinikka: Inari", asks_for_needs=True, online_url="https://meet.example.fi/hytu"
    )
    cancelled = make_event(
        title="Virtuaalikahvit",
        status=EventStatus.CANCELLED,
        cancellation_reason="Puhuja sairastui.",
        municipalities=[],
    )
    make_event(title="Kuntatyöpaja: Itä-Lappi", starts_at=now - timedelta(days=30))
    registration = register(
        event.id,
        ParticipantDetails(
            name="Kaisa Keskitalo",
            email="kaisa@example.fi",
            organisation_id=organisation("lapin-amk").id,
            organisation_other=None,
            municipality_id=municipality("inari").id,
            job_title=None,
            needs=None,
            language=Language.FI,
        ),
    ).registration
    db.session.commit()
    token = self_service_token(registration)

    page.goto("/")
    yield "the upcoming events"
    page.goto("/?when=past")
    yield "the past events"
    page.goto(f"/events/{event.id}")
    yield "an event"
    page.goto(f"/events/{cancelled.id}")
    yield "a cancelled event"
    page.goto(f"/events/{cancelled.id}/register")
    yield "the registration form of a cancelled event"
    page.goto(f"/events/{event.id}/register")
    yield "the registration form"
    submit(page)
    assert page.locator("#error-summary").is_visible()
    yield "the registration form with errors"
    page.fill("#name", "Mikko Magga")
    page.fill("#email", "mikko@example.fi")
    page.fill("#organisation_other", "Inarin seurakunta")
    page.check("#consent")
    submit(page)
    assert page.url.endswith(f"/events/{event.id}/registered")
    yield "the confirmation page"
    page.goto(f"/r/{token}")
    yield "the self-service page"
    page.fill("#name", "")
    submit(page)
    assert page.locator("#error-summary").is_visible()
    yield "the self-service page with errors"
    page.goto(f"/r/{token}/cancel")
    yield "the cancellation step"
    page.goto(f"/r/{token}/erase")
    yield "the erasure step"
    page.goto("/r/")
    yield "'send my link again'"
    page.fill("#email", "not an email")
    submit(page)
    assert page.locator("#error-summary").is_visible()
    yield "'send my link again' with errors"
    page.fill("#email", "kaisa@example.fi")
    submit(page)
    assert page.locator("#email").count() == 0
    yield "'send my link again' sent"
    page.goto("/r/erased")
    yield "the erased page"
    page.goto("/privacy")
    yield "the privacy notice"
    page.goto("/accessibility")
    yield "the accessibility statement"
    assert page.goto("/no-such-page").status == 404
    yield "the 404 page"


def audit(page, language: str) -> list[str]:
    """Each public page at desktop size, then the same page at phone size; the problems found."""
    page.goto(f"/?lang={language}")  # remembered for the rest of the visit
    problems = []
    for label in public_pages(page):
        shown = page.evaluate("document.documentElement.lang")
        assert shown == language, f"{label} is in {shown!r}, not {language!r}"
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            found = violations(page)
            if found:
                problems.append(f"{label} on a {size} ({page.url}):\n{describe(found)}")
        width, room = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if width > room:
            problems.append(f"{label} ({page.url}) scrolls sideways on a phone: {width} > {room}")
        page.set_viewport_size(DESKTOP)
    return problems


# The markup does not depend on the database, and axe is the slowest part of the suite: the
# audits run on SQLite only (every flow that stores something runs on both backends).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_public_pages_are_accessible_on_desktop_and_phone(page, language):
    problems = audit(page, language)
    assert not problems, "\n".join(problems)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    make_event()
    page.goto("/")
    page.keyboard.press("Tab")
    first = page.evaluate_handle("document.activeElement")
    assert first.evaluate("el => el.classList.contains('skip-link')")
    assert first.evaluate("el => el.getBoundingClientRect().top >= 0"), "the skip link stays hidden"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside the main content, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_focused_links_and_controls_show_an_outline(page):
    event = make_event()
    page.goto(f"/events/{event.id}/register")
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement, s = getComputedStyle(el);
                return {tag: el.tagName, text: (el.textContent || el.id).trim().slice(0, 40),
                        style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
        )
        if focused["tag"] == "BODY":
            break
        seen += 1
        assert focused["style"] != "none" and focused["width"] > 0, focused
    assert seen >= 10


def test_an_audit_catches_a_violation(page):
    """The check can fail: a field without a label on a served page is reported."""
    page.goto("/privacy")
    page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page, "the privacy notice with an unlabelled field")
