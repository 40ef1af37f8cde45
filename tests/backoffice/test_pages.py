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
