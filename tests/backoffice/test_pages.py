"""Every back-office page renders for a coordinator (a broken template fails here first)."""

from hytu_events.models import EventStatus
from tests.helpers import make_event


def test_every_page_renders(staff):
    e = make_event()
    d = make_event(status=EventStatus.DRAFT, title="Luonnos")
    for url in [
        "/admin/",
        "/admin/events",
        "/admin/events?show=past",
        "/admin/events?show=drafts&q=luo",
        "/admin/events/new",
        f"/admin/events/{e.id}",
        f"/admin/events/{e.id}/edit",
        f"/admin/events/{e.id}/cancel",
        f"/admin/events/{e.id}/duplicate",
        f"/admin/events/{d.id}/preview",
        f"/admin/events/{e.id}/participants",
        f"/admin/events/{e.id}/participants/new",
        f"/admin/events/{e.id}/participants.csv",
        f"/admin/events/{e.id}/participants.xlsx",
        "/admin/exports",
        "/admin/exports?first=2026-01-01&last=2027-12-31&format=csv",
    ]:
        r = staff.get(url + ("&" if "?" in url else "?") + "lang=en")
        assert r.status_code == 200, (url, r.status_code, r.text[:3000])


def test_the_event_list_pages_and_keeps_its_tab_and_search(staff, app):
    import re
    from datetime import UTC, datetime, timedelta

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
