"""The participants page and the home page cost the same number of queries for 3 rows or 30."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers import counting_queries, make_event
from tests.registrations.people import register_person

ORGS = ["lapin-amk", "lapin-poliisilaitos", "spr-lapin-piiri", None]
TOWNS = ["inari", "rovaniemi", "tornio", "kemi", "salla", None]


def _fill(event, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        org = ORGS[n % len(ORGS)]
        register_person(
            event,
            f"Henkilö {n}",
            f"h{n}@example.fi",
            org=org,
            other=None if org else f"Yhdistys {n}",
            town=TOWNS[n % len(TOWNS)],
        )


def _queries(client, url: str) -> int:
    with counting_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_participants_page_queries_do_not_grow_with_rows(staff):
    event = make_event(capacity=None)
    _fill(event, 3)
    url = f"/admin/events/{event.id}/participants?lang=en"
    few = _queries(staff, url)
    _fill(event, 27, start=3)
    many = _queries(staff, url)
    assert many == few


def test_home_queries_do_not_grow_with_events_or_registrations(staff):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    first = make_event(starts_at=soon, title="Tuleva 0")
    make_event(starts_at=past, title="Mennyt 0")
    _fill(first, 2)
    few = _queries(staff, "/admin/?lang=en")
    for n in range(1, 8):
        upcoming = make_event(starts_at=soon + timedelta(days=n), title=f"Tuleva {n}")
        make_event(starts_at=past - timedelta(days=n), title=f"Mennyt {n}")
        _fill(upcoming, 2, start=10 * n)
    many = _queries(staff, "/admin/?lang=en")
    assert many == few
