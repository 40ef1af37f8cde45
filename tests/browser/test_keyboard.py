"""Using the public pages with a keyboard only: a skip link first, focus always visible."""

from __future__ import annotations

import pytest

from hytu_events.extensions import db
from tests.helpers import make_event

pytestmark = pytest.mark.browser

#: What the focused element shows: its outline (the site's 3px ring, not the browser's thin
#: default) and whether the element itself is on screen.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    box = page.locator(".skip-link").bounding_box()
    assert box is None or box["y"] + box["height"] <= 0, "out of sight until focused"

    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_STATE)
    assert focused["text"] == "Siirry pääsisältöön", focused
    assert focused["onScreen"], "the skip link must show when focused"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_every_tab_stop_on_the_registration_form_shows_where_focus_is(page):
    event = make_event(asks_for_needs=True)
    url = f"/events/{event.id}/register"
    db.session.commit()
    page.goto(url)

    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STATE)
        if focused["tag"] == "body" or (seen and focused == seen[0]):
            break  # past the last stop
        seen.append(focused)
        label = f"{focused['tag']}#{focused['id']} {focused['text']!r}"
        assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, label
        assert focused["onScreen"], f"{label} is focused but not on screen"

    kinds = {f["tag"] for f in seen}
    assert {"a", "input", "select", "textarea", "button"} <= kinds, kinds
    ids = [f["id"] for f in seen]
    # Fields come in the order they are shown, the honeypot never.
    fields = [i for i in ids if i]
    assert fields == [
        "name", "email", "organisation", "organisation_other", "municipality",
        "job_title", "needs", "language", "consent",
    ], fields  # fmt: skip
