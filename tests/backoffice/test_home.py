"""The coordinator's home page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hytu_events.backoffice.home import events_needing_outcomes, upcoming_loads
from hytu_events.events.models import EventStatus
from tests.helpers import make_event, page_text
from tests.registrations.people import register_people

NOW = datetime.now(UTC).replace(microsecond=0)


def test_home_shows_fill_rate_waiting_list_follow_ups_and_recent_registrations(staff):
    full = make_event(title="Täysi klinikka", capacity=2, starts_at=NOW + timedelta(days=2))
    register_people(full, 3)
    make_event(title="Luonnos", status=EventStatus.DRAFT, starts_at=NOW + timedelta(days=1))
    make_event(title="Mennyt työpaja", starts_at=NOW - timedelta(days=2))
    make_event(
        title="Peruttu",
        status=EventStatus.CANCELLED,
        cancellation_reason="x",
        starts_at=NOW - timedelta(days=3),
    )
    page = staff.get("/admin/?lang=en")
    assert page.status_code == 200
    text = page_text(page.text)
    upcoming, rest = text.split("Past events to follow up")
    follow_up, recent = rest.split("Recent registrations")
    assert "Täysi klinikka" in upcoming and "2 / 2" in upcoming and "100%" in upcoming
    assert "Luonnos" not in text
    assert "Mennyt työpaja" in follow_up and "Peruttu" not in follow_up
    assert "Osallistuja 3" in recent
    # The chart draws the fill rates of the table above it, which says them once.
    assert '<div class="bars" aria-hidden="true"' in page.text
    assert "Fill rate of upcoming events" in text
    table, chart = upcoming.split("Fill rate of upcoming events")
    figure = page.text.split('<figure class="chart-figure">')[1].split("</figure>")[0]
    assert table.count("100%") == 1 and "<table" not in figure  # English: no space


def test_query_functions(app):
    event = make_event(capacity=4, starts_at=NOW + timedelta(days=1))
    register_people(event, 1)
    (load,) = upcoming_loads(NOW)
    assert (load.count.confirmed, load.fill_percent) == (1, 25)
    ended = make_event(starts_at=NOW - timedelta(days=1))
    assert [e.id for e in events_needing_outcomes(NOW)] == [ended.id]
