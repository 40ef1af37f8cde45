"""The back office's event list: its tabs, the title search, and paging that keeps both."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hytu_events.events.models import EventStatus
from tests.helpers import make_event, page_text

NOW = datetime.now(UTC).replace(microsecond=0)


def test_event_list_tabs_and_search(staff):
    make_event(title="Virtuaalikahvit tammikuu", starts_at=NOW + timedelta(days=5))
    make_event(
        title="HYTU-klinikka Salla", title_sv="HYTU-klinik Salla", starts_at=NOW + timedelta(days=6)
    )
    make_event(title="Vanha klinikka", starts_at=NOW - timedelta(days=30))
    make_event(title="Keskeneräinen", status=EventStatus.DRAFT)

    def titles(query):
        return page_text(staff.get("/admin/events?lang=en&" + query).text)

    upcoming = titles("show=upcoming")
    assert "Virtuaalikahvit tammikuu" in upcoming and "Vanha klinikka" not in upcoming
    assert "Keskeneräinen" not in upcoming
    assert "Vanha klinikka" in titles("show=past")
    assert "Keskeneräinen" in titles("show=drafts")
    found = titles("show=upcoming&q=KLINIKKA")
    assert "HYTU-klinikka Salla" in found and "Virtuaalikahvit" not in found
    # A translated title finds its event too.
    found = titles("show=upcoming&q=klinik%20salla")
    assert "HYTU-klinikka Salla" in found and "Vanha klinikka" not in found


def test_the_event_list_pages_and_keeps_its_tab_and_search(staff, app):
    app.config["HYTU_ADMIN_EVENTS_PER_PAGE"] = 2
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    for n in range(5):
        make_event(title=f"Klinikka {n}", starts_at=start + timedelta(days=n))
    make_event(title="Työpaja", starts_at=start)
    first = staff.get("/admin/events?q=klinikka&lang=en").text
    assert "Page 1 of 3" in first and "Klinikka 0" in first and "Klinikka 2" not in first
    link = re.search(r'href="([^"]+)" rel="next">Next page<', first).group(1).replace("&amp;", "&")
    assert "show=upcoming" in link and "q=klinikka" in link and "page=2" in link
    second = staff.get(link + "&lang=en").text
    assert "Klinikka 2" in second and "Klinikka 3" in second and "Työpaja" not in second
