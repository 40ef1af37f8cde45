"""Registering with the keyboard alone, errors first, in real Chromium as a Finnish reader.

Enter on the empty form is answered by the form's own error summary (the browser's "Please fill
out this field." bubble, in the browser's language, never comes first), focus moves to it, the
next Tab reaches the link to the first wrong field; once fixed, the confirmation offers the
person's own calendar file.
"""

from __future__ import annotations

import pytest

from hytu_events.extensions import db
from hytu_events.models import Role
from tests.accounts.helpers import make_user
from tests.helpers import make_event
from tests.series.registering import coming_series

pytestmark = pytest.mark.browser

SUMMARY_TITLE = "Ilmoittautumista ei lähetetty"


def focused(page) -> str:
    """The focused element: its id, its link target in the error summary, or a button's text."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (el.closest('#error-summary') && el.tagName === 'A') {
            return 'summary link ' + el.getAttribute('href');
          }
          return el.tagName === 'BUTTON' ? 'button ' + el.innerText.trim() : el.id;
        }"""
    )


def tab_to(page, wanted: str, limit: int = 40) -> None:
    """Tab until `wanted` (an id, as `focused` says it) has focus; fail past `limit` stops."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == wanted:
            return
    pytest.fail(f"{wanted} not reached in {limit} tab stops (focus on {focused(page)!r})")


def send_empty_with_enter(page, url: str) -> None:
    page.goto(url)
    tab_to(page, "name")
    with page.expect_navigation():  # the browser's own checks would keep the page here
        page.keyboard.press("Enter")  # implicit submission from a text field
    page.get_by_role("alert").get_by_role("heading", name=SUMMARY_TITLE).wait_for()
    assert focused(page) == "error-summary"  # by the deferred script, before the load event


def test_event_form_with_errors_then_confirmed_by_keyboard(app, live_server, page):
    event = make_event(title="HYTU-klinikka: Utsjoki", online_url="https://teams.example/utsjoki")
    url = f"/events/{event.id}/register"
    db.session.commit()

    send_empty_with_enter(page, url)
    assert page.url.endswith(url)
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert" and summary.get_attribute("tabindex") == "-1"
    page.keyboard.press("Tab")
    assert focused(page) == "summary link #name"

    page.keyboard.press("Enter")
    assert focused(page) == "name"
    page.keyboard.type("Ánde Guttorm")
    page.keyboard.press("Tab")
    assert focused(page) == "email"
    page.keyboard.type("ande.guttorm@example.fi")
    tab_to(page, "organisation_other")  # past the list: the organisation is not on it
    page.keyboard.type("Utsjoen saamelaislukio")
    tab_to(page, "consent")
    page.keyboard.press("Space")
    tab_to(page, "button Ilmoittaudu")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.get_by_role("heading", level=1, name="Paikkasi on vahvistettu").wait_for()
    calendar = page.get_by_role("link", name="Lisää kalenteriin")
    assert calendar.is_visible()
    file = page.request.get(calendar.get_attribute("href"))
    assert file.ok and file.headers["content-type"].startswith("text/calendar")
    assert "HYTU-klinikka: Utsjoki" in file.text()
    join = page.get_by_role("link", name="Liity verkkotapaamiseen")
    assert join.get_attribute("href") == "https://teams.example/utsjoki"


def test_series_form_with_errors_by_keyboard(app, live_server, page):
    series = coming_series(make_user(Role.COORDINATOR), count=2)
    url = f"/series/{series.id}"
    db.session.commit()

    send_empty_with_enter(page, url)
    page.keyboard.press("Tab")
    # "All upcoming dates" is chosen already: the name is the first thing to fix.
    assert focused(page) == "summary link #name"
    page.keyboard.press("Enter")
    assert focused(page) == "name"
